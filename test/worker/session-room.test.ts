// The Worker's API and the SessionRoom relay inside workerd, driving real bash PTYs through the real Daytona SDK.
import { abortAllDurableObjects, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Limits } from "../../parsers/protocol";
import { ARCHIVE_FLUSH_MS } from "../../worker/output-archive";
import { TokenSigner } from "../../worker/signed-tokens";
import { TEST_SIGNING_KEY } from "./test-secrets";
import { api, AS_OPERATOR, attach, createSession, issueTicket, upgrade } from "./session-client";

describe("creating sessions", () => {
  it("returns one link per role, each carrying its own token", async () => {
    const response = await api("/api/sessions", { method: "POST", headers: AS_OPERATOR, body: JSON.stringify({ command: "bash" }) });
    expect(response.status).toBe(201);
    const { id, links } = await response.json<{ id: string; links: Record<string, string> }>();
    expect(id).toMatch(/^[0-9a-f]{20}$/);
    expect(Object.keys(links).sort()).toEqual(["owner", "read", "write"]);
    const tokens = Object.values(links).map((link) => new URL(link).hash);
    expect(new Set(tokens).size).toBe(3);
    for (const link of Object.values(links)) expect(new URL(link).pathname).toBe(`/s/${id}`);
  });

  it.each([
    ["not JSON", "{"],
    ["an array", "[]"],
    ["a multi-line command", JSON.stringify({ command: "bash\nrm -rf /" })],
    ["zero columns", JSON.stringify({ cols: 0 })],
    ["100000 columns", JSON.stringify({ cols: 100_000 })],
    ["fractional rows", JSON.stringify({ rows: 2.5 })],
  ])("refuses a body with %s", async (_case, body) => {
    const response = await api("/api/sessions", { method: "POST", headers: AS_OPERATOR, body });
    expect(response.status).toBe(400);
    expect((await response.json<{ error: { code: string } }>()).error.code).toBe("bad_request");
  });
});

describe("tickets and the WebSocket door", () => {
  it("refuses missing, forged, tampered, expired and other-session tokens", async () => {
    const session = await createSession();
    const other = await createSession();
    const post = (id: string, token?: string) =>
      api(`/api/sessions/${id}/tickets`, { method: "POST", headers: token ? { authorization: `Bearer ${token}` } : {} });
    const signer = await TokenSigner.fromSecret(TEST_SIGNING_KEY);
    const forger = await TokenSigner.fromSecret("some-other-key-that-is-long-enough-000000");
    const claims = { kind: "link", session: session.id, role: "owner", generation: 1, expires: Math.floor(Date.now() / 1000) + 60 } as const;
    const [body, signature] = session.tokens.read.split(".");
    const promoted = JSON.parse(atob(body!.replaceAll("-", "+").replaceAll("_", "/"))) as Record<string, unknown>;
    const tampered = `${btoa(JSON.stringify({ ...promoted, role: "owner" })).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_")}.${signature}`;

    expect((await post(session.id)).status).toBe(401);
    expect((await post(session.id, "not-a-token-at-all-000")).status).toBe(401);
    expect((await post(session.id, await forger.sign(claims))).status).toBe(401);
    expect((await post(session.id, tampered)).status).toBe(401);
    expect((await post(session.id, await signer.sign({ ...claims, expires: Math.floor(Date.now() / 1000) - 1 }))).status).toBe(401);
    expect((await post(session.id, other.tokens.owner)).status).toBe(401);
    expect((await post(session.id, await signer.sign(claims))).status).toBe(200);
    expect((await post("0123456789abcdef0123", await signer.sign({ ...claims, session: "0123456789abcdef0123" }))).status).toBe(404);
    expect((await post("not-an-id", session.tokens.owner)).status).toBe(404);
  });

  it("grants each link its role", async () => {
    const session = await createSession();
    for (const [link, role] of [["owner", "owner"], ["write", "writer"], ["read", "viewer"]] as const) {
      const response = await api(`/api/sessions/${session.id}/tickets`, {
        method: "POST",
        headers: { authorization: `Bearer ${session.tokens[link]}` },
      });
      expect(await response.json()).toMatchObject({ role, expiresIn: 60 });
    }
  });

  it("accepts a ticket once, and only from an allowed Origin", async () => {
    const session = await createSession();
    const ticket = await issueTicket(session.id, session.tokens.owner);
    expect((await upgrade(session.id, `ticket=${ticket}`, "https://evil.example")).status).toBe(403);
    expect((await api(`/api/sessions/${session.id}/ws?ticket=${ticket}`)).status).toBe(426);
    expect((await upgrade(session.id, "")).status).toBe(401);
    const first = await upgrade(session.id, `ticket=${ticket}`);
    expect(first.status).toBe(101);
    first.webSocket?.accept();
    first.webSocket?.close();
    expect((await upgrade(session.id, `ticket=${ticket}`)).status).toBe(401);
  });
});

describe("relaying a bash PTY", () => {
  it("greets, reaches running, and echoes typed input to every client", async () => {
    const session = await createSession({ command: "bash", cols: 100, rows: 30 });
    const owner = await attach(session.id, session.tokens.owner);
    await owner.waitFor("hello", () => owner.of("hello").length === 1);
    expect(owner.of("hello")[0]).toMatchObject({ version: 1, role: "owner", cols: 100, rows: 30 });
    await owner.waitForRunning();

    const viewer = await attach(session.id, session.tokens.read);
    await viewer.waitFor("presence of two", () => viewer.of("presence").at(-1)?.clients.length === 2);
    owner.type("echo relay-$((6*7))\r");
    await owner.waitForText("relay-42");
    await viewer.waitForText("relay-42");
  });

  it("replays the retained output to a client that joins later, from `since` without duplicates", async () => {
    const session = await createSession();
    const first = await attach(session.id, session.tokens.owner);
    await first.waitForRunning();
    first.type("echo before-$((1+1))\r");
    await first.waitForText("before-2");
    const midpoint = first.nextOffset!;

    const late = await attach(session.id, session.tokens.read);
    await late.waitForText("before-2");

    first.type("echo after-$((2+1))\r");
    await first.waitForText("after-3");
    const resumed = await attach(session.id, session.tokens.read, `&since=${midpoint}`);
    await resumed.waitForText("after-3");
    expect(resumed.text).not.toContain("before-2");
    expect(resumed.of("reset")).toHaveLength(0);

    const tooFar = await attach(session.id, session.tokens.read, `&since=${Number.MAX_SAFE_INTEGER}`);
    await tooFar.waitFor("reset", () => tooFar.of("reset").length === 1);
    expect(tooFar.of("reset")[0]!.offset).toBe(0);
  });

  it("resizes the PTY for a writer", async () => {
    const session = await createSession();
    const owner = await attach(session.id, session.tokens.owner);
    await owner.waitForRunning();
    owner.sendMessage(({ type: "resize", cols: 91, rows: 27 }));
    await owner.waitFor("resize broadcast", () => owner.of("resize").some((size) => size.cols === 91));
    // The resize is a REST call that may land after this input; ask until the PTY reports the new size.
    await owner.waitFor("stty size 27 91", () => {
      if (!owner.text.includes("27 91")) owner.type("stty size\r");
      return owner.text.includes("27 91");
    });
  });
});

describe("a restarted room", () => {
  it("re-attaches to the PTY that kept running in the sandbox", async () => {
    const session = await createSession();
    const before = await attach(session.id, session.tokens.owner);
    await before.waitForRunning();
    before.type("export MARK=kept-$((3*5)); echo ex''ported\r");
    await before.waitForText("exported");
    await new Promise((done) => setTimeout(done, 2 * ARCHIVE_FLUSH_MS)); // let the room archive its output

    // As a deploy or a crash would: the instance and its in-memory state go, storage and the sandbox stay.
    // (Graceful eviction would wait for the open outbound PTY socket, which never drains.)
    await abortAllDurableObjects();
    await before.waitFor("the old socket to close", () => before.closed !== null);

    const after = await attach(session.id, session.tokens.owner, `&since=${before.nextOffset}`);
    await after.waitForRunning();
    // The restarted room kept the archived tail: the offsets go on, no reset for a client that was up to date.
    expect(after.of("hello")[0]!.offset).toBe(before.nextOffset);
    expect(after.of("reset")).toHaveLength(0);
    after.type("echo mark=$MARK\r");
    await after.waitForText("mark=kept-15");
    const replayed = await attach(session.id, session.tokens.read);
    await replayed.waitForText("exported");
  });
});

describe("a stopped sandbox", () => {
  it("shows the lost terminal, then starts the sandbox again on the next keystroke", async () => {
    const session = await createSession();
    const owner = await attach(session.id, session.tokens.owner);
    await owner.waitForRunning();

    const stopped = await fetch(`${env.DAYTONA_API_URL}/sandbox/nightona-${session.id}/stop`, {
      method: "POST",
      headers: { authorization: "Bearer local" },
    });
    expect(stopped.status).toBe(200);
    await owner.waitFor("disconnected", () => owner.phase() === "disconnected");

    owner.type("x");
    await owner.waitForError("not_ready");
    await owner.waitFor("the sandbox to start", () => owner.of("status").some((status) => status.message === "Starting sandbox"));
    await owner.waitForRunning();
    owner.type("echo back-$((2*21))\r");
    await owner.waitForText("back-42");
  });
});

describe("bad input", () => {
  it("answers each bad frame with an error and keeps serving everyone", async () => {
    const session = await createSession();
    const writer = await attach(session.id, session.tokens.write);
    const bystander = await attach(session.id, session.tokens.read);
    await writer.waitForRunning();

    const bad: Array<[string, string | ArrayBuffer]> = [
      ["bad_request", "{not json"],
      ["bad_request", JSON.stringify([1, 2])],
      ["bad_request", JSON.stringify({ type: "launch-missiles" })],
      ["bad_request", JSON.stringify({ type: "resize", cols: 0, rows: 24 })],
      ["bad_request", JSON.stringify({ type: "resize", cols: 100_000, rows: 24 })],
      ["bad_request", JSON.stringify({ type: "resize", cols: "80", rows: 24 })],
      ["too_large", JSON.stringify({ type: "resize", pad: "x".repeat(Limits.maxTextFrameBytes) })],
      ["bad_request", new Uint8Array([0x07, 0x41]).buffer],
      ["bad_request", new ArrayBuffer(0)],
      ["too_large", new Uint8Array(Limits.maxInputFrameBytes + 1).fill(0x02).buffer],
    ];
    for (const [, frame] of bad) writer.socket.send(frame);
    await writer.waitFor(`${bad.length} errors`, () => writer.of("error").length === bad.length);
    expect(writer.of("error").map((error) => error.code)).toEqual(bad.map(([code]) => code));
    expect(writer.closed).toBeNull();

    writer.type("echo still-$((40+2))\r");
    await writer.waitForText("still-42");
    await bystander.waitForText("still-42");
    expect(bystander.of("error")).toHaveLength(0);
  });

  it("refuses a viewer's input and resize", async () => {
    const session = await createSession();
    const viewer = await attach(session.id, session.tokens.read);
    await viewer.waitForRunning();
    viewer.type("touch /tmp/should-not-exist\r");
    viewer.sendMessage(({ type: "resize", cols: 50, rows: 20 }));
    await viewer.waitForError("read_only", 2);
    expect(viewer.closed).toBeNull();
  });

  it("reports the exit code, then refuses input with not_ready", async () => {
    const session = await createSession();
    const owner = await attach(session.id, session.tokens.owner);
    await owner.waitForRunning();
    owner.type("exit 3\r");
    await owner.waitFor("exited", () => owner.phase() === "exited");
    expect(owner.of("status").at(-1)).toMatchObject({ phase: "exited", exitCode: 3 });
    owner.type("echo too late\r");
    await owner.waitForError("not_ready");
  });
});
