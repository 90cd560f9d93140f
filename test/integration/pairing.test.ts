// Pairing through the whole stack: an owner, a writer and a viewer on one bash session.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../scripts/stack";
import { attach, createSession, openSocket } from "../support/stack-client";

let stack: Stack;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "nightona-pairing-"));
  stack = await startStack({ stateDir });
});

afterAll(async () => {
  await stack?.close();
  await rm(stateDir, { recursive: true, force: true });
});

describe("three people on one session", () => {
  it("lets the writer type, the owner interrupt, and the viewer only watch", async () => {
    const session = await createSession(stack.url, { command: "bash" });
    const owner = await attach(stack.url, session.id, session.tokens.owner);
    const writer = await attach(stack.url, session.id, session.tokens.write);
    const viewer = await attach(stack.url, session.id, session.tokens.read);
    await owner.waitForRunning();
    await owner.waitFor("three people", () => owner.of("presence").at(-1)?.clients.length === 3);

    writer.type("echo from-writer-$((1+1))\r");
    for (const client of [owner, writer, viewer]) await client.waitForText("from-writer-2");

    viewer.type("echo from-viewer\r");
    viewer.sendMessage({ type: "resize", cols: 40, rows: 10 });
    await viewer.waitForError("read_only", 2);

    writer.type("python3 -c 'import time; print(\"slee\" \"ping\", flush=True); time.sleep(60)'\r");
    await owner.waitForText("sleeping");
    const pressed = Date.now();
    owner.type("\x03");
    for (const client of [owner, writer, viewer]) await client.waitForText("KeyboardInterrupt");
    expect(Date.now() - pressed).toBeLessThan(5000);

    writer.type("echo after-$((2+2))\r");
    for (const client of [owner, writer, viewer]) await client.waitForText("after-4");
    expect(owner.text).not.toContain("from-viewer");
    expect(viewer.text).toBe(owner.text);
  });

  it("keeps serving everyone while one client never reads", async () => {
    const session = await createSession(stack.url, { command: "bash" });
    const writer = await attach(stack.url, session.id, session.tokens.write);
    const stalled = await openSocket(stack.url, session.id, session.tokens.read);
    stalled.pause(); // stops reading from its TCP socket: the server's sends to it back up
    await writer.waitForRunning();

    const before = Date.now();
    writer.type("head -c 8000000 /dev/zero | tr '\\0' x; printf '\\nEND%s\\n' MARK\r");
    await writer.waitForText("ENDMARK", 60_000);
    writer.type("echo still-$((40+2))\r");
    await writer.waitForText("still-42");
    expect(Date.now() - before).toBeLessThan(60_000);
    expect(writer.discontinuities).toBe(0);
    stalled.terminate();
  });
});
