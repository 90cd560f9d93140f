// Pairing inside workerd: link rotation, tickets, presence, the size policy, rate limits and connection churn.
import { describe, expect, it } from "vitest";
import { TokenSigner } from "../../worker/signed-tokens";
import { api, attach, createSession, issueTicket, upgrade } from "./session-client";
import { TEST_SIGNING_KEY } from "./test-secrets";

const rotate = (id: string, token: string, link: string) =>
  api(`/api/sessions/${id}/links`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: JSON.stringify({ link }),
  });

describe("operator authorization", () => {
  it("refuses to create a session without the operator token on a public host", async () => {
    const anonymous = await api("/api/sessions", { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
    const wrong = await api("/api/sessions", { method: "POST", headers: { authorization: "Bearer guess-guess-guess" }, body: "{}" });
    expect(wrong.status).toBe(401);
  });
});

describe("link rotation", () => {
  it("revokes the old read link, closes its sockets, and issues a working new one", async () => {
    const session = await createSession();
    const owner = await attach(session.id, session.tokens.owner);
    const viewer = await attach(session.id, session.tokens.read);
    const writer = await attach(session.id, session.tokens.write);
    await owner.waitForRunning();

    expect((await rotate(session.id, session.tokens.write, "read")).status).toBe(403);
    expect((await rotate(session.id, session.tokens.read, "read")).status).toBe(403);
    expect((await rotate(session.id, session.tokens.owner, "owner")).status).toBe(400);

    const rotated = await rotate(session.id, session.tokens.owner, "read");
    expect(rotated.status).toBe(200);
    const { url } = await rotated.json<{ url: string }>();
    await viewer.waitFor("the revoked viewer to be closed", () => viewer.closed !== null);
    expect(viewer.closed?.code).toBe(4401);
    expect(writer.closed).toBeNull();
    expect((await api(`/api/sessions/${session.id}/tickets`, { method: "POST", headers: { authorization: `Bearer ${session.tokens.read}` } })).status).toBe(401);

    const fresh = await attach(session.id, new URL(url).hash.replace("#token=", ""));
    await fresh.waitFor("hello", () => fresh.of("hello")[0]?.role === "viewer");
  });

  it("refuses a ticket issued before its link was rotated", async () => {
    const session = await createSession();
    const ticket = await issueTicket(session.id, session.tokens.write);
    expect((await rotate(session.id, session.tokens.owner, "write")).status).toBe(200);
    expect((await upgrade(session.id, `ticket=${ticket}`)).status).toBe(401);
  });
});

describe("tickets", () => {
  it("refuses expired, tampered and other-session tickets", async () => {
    const session = await createSession();
    const other = await createSession();
    const signer = await TokenSigner.fromSecret(TEST_SIGNING_KEY);
    const base = { kind: "ticket", session: session.id, role: "owner", generation: 1, nonce: "n-1", name: "x" } as const;
    const expired = await signer.sign({ ...base, expires: Math.floor(Date.now() / 1000) - 1 });
    expect((await upgrade(session.id, `ticket=${expired}`)).status).toBe(401);
    const otherTicket = await issueTicket(other.id, other.tokens.owner);
    expect((await upgrade(session.id, `ticket=${otherTicket}`)).status).toBe(401);
    const valid = await issueTicket(session.id, session.tokens.read);
    const tampered = `${valid.slice(0, 10)}${valid[10] === "A" ? "B" : "A"}${valid.slice(11)}`;
    expect((await upgrade(session.id, `ticket=${tampered}`)).status).toBe(401);
    expect((await upgrade(session.id, `ticket=${"x".repeat(5000)}`)).status).toBe(401);
  });
});

describe("presence", () => {
  it("names everyone with a colour, marks who typed last, and drops those who leave", async () => {
    const session = await createSession();
    const ada = await attach(session.id, session.tokens.owner, "", "Ada");
    const bob = await attach(session.id, session.tokens.write, "", "Bob\u0007 \u202e  the  builder");
    const eve = await attach(session.id, session.tokens.read, "", "x".repeat(500));
    await ada.waitForRunning();
    await ada.waitFor("three people", () => ada.of("presence").at(-1)?.clients.length === 3);
    const clients = ada.of("presence").at(-1)!.clients;
    expect(clients.map((client) => client.name).sort()).toEqual(["Ada", "Bob the builder", "x".repeat(40)]);
    for (const client of clients) expect(client.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(new Set(clients.map((client) => client.color)).size).toBe(3);

    bob.type("echo hi\r");
    const bobId = bob.of("hello")[0]!.clientId;
    await ada.waitFor("Bob as the last typist", () => ada.of("presence").at(-1)?.lastInput === bobId);

    eve.socket.close();
    await ada.waitFor("two people", () => ada.of("presence").at(-1)?.clients.length === 2);
  });
});

describe("size policy", () => {
  it("gives the PTY the size of the writer who typed last", async () => {
    const session = await createSession({ command: "bash", cols: 100, rows: 30 });
    const ada = await attach(session.id, session.tokens.owner);
    const bob = await attach(session.id, session.tokens.write);
    await ada.waitForRunning();
    ada.sendMessage({ type: "resize", cols: 90, rows: 25 }); // nobody typed yet: applies
    await ada.waitFor("90x25", () => ada.of("resize").at(-1)?.cols === 90);
    ada.type("true\r");
    await ada.waitFor("Ada as the last typist", () => ada.of("presence").at(-1)?.lastInput === ada.of("hello")[0]!.clientId);
    bob.sendMessage({ type: "resize", cols: 70, rows: 20 }); // Ada typed last: remembered only
    bob.sendMessage({ type: "resize", cols: 71, rows: 20 });
    ada.type("echo settled\r"); // a round trip through the room after Bob's resizes
    await ada.waitForText("settled\r\n");
    expect(ada.of("resize").at(-1)).toMatchObject({ cols: 90, rows: 25 });
    // Bob's terminal is told the size the PTY kept, so that it draws what the PTY draws.
    await bob.waitFor("the PTY's size", () => bob.of("resize").length >= 3);
    expect(bob.of("resize").slice(-2)).toEqual([
      { type: "resize", cols: 90, rows: 25 },
      { type: "resize", cols: 90, rows: 25 },
    ]);
    bob.type("true\r"); // now Bob is the active writer
    await ada.waitFor("71x20", () => ada.of("resize").at(-1)?.cols === 71);
    ada.type("true\r");
    await ada.waitFor("back to 90x25", () => ada.of("resize").at(-1)?.cols === 90);
  });
});

describe("hostile clients", () => {
  it("rate-limits an input flood without disturbing the others", async () => {
    const session = await createSession({ command: "bash" });
    const flooder = await attach(session.id, session.tokens.write);
    const bystander = await attach(session.id, session.tokens.owner);
    await flooder.waitForRunning();
    // The shell swallows the flood quietly until a line END, then answers.
    bystander.type("stty -echo; echo rea''dy; sed -n '/^END$/q'; stty echo; echo calm-$((40+2))\r");
    await bystander.waitForText("ready");
    const chunk = `${"#".repeat(1023)}\n`.repeat(1024 - 1);
    for (let i = 0; i < 4; i++) flooder.type(chunk);
    await flooder.waitForError("rate_limited");
    flooder.type("END\n"); // tiny: the bucket has refilled enough for it
    await bystander.waitForText("calm-42");
    expect(bystander.of("error")).toHaveLength(0);
  });

  it("passes bytes that are not UTF-8 to the PTY as they are", async () => {
    const session = await createSession({ command: "bash" });
    const owner = await attach(session.id, session.tokens.owner);
    await owner.waitForRunning();
    owner.type("printf 'by''tes:'; od -An -tx1 | tr -d ' \\n'; echo\r");
    await owner.waitForText("bytes:"); // od is reading now
    owner.socket.send(new Uint8Array([0x02, 0xff, 0xfe, 0x0a, 0x04]));
    await owner.waitForText("fffe0a\r\n"); // od saw exactly the bytes sent (the terminal echoes them too)
    expect(owner.of("error")).toHaveLength(0);
  });

  it("survives a thousand connect and disconnect cycles and keeps serving", async () => {
    const session = await createSession({ command: "bash" });
    const owner = await attach(session.id, session.tokens.owner);
    await owner.waitForRunning();
    for (let i = 0; i < 1000; i++) {
      const response = await upgrade(session.id, `ticket=${await issueTicket(session.id, session.tokens.read)}`);
      response.webSocket?.accept();
      response.webSocket?.close(1000, "bye");
    }
    await owner.waitFor("presence back to one", () => owner.of("presence").at(-1)?.clients.length === 1);
    owner.type("echo alive-$((6*7))\r");
    await owner.waitForText("alive-42");
  }, 120_000);
});
