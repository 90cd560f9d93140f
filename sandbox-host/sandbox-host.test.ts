// Drives the real @daytonaio/sdk (and raw `ws`, as workerd would) against a local sandbox host on a free port.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Daytona,
  DaytonaConflictError,
  DaytonaConnectionError,
  DaytonaNotFoundError,
  type PtyHandle,
  type Sandbox,
} from "@daytonaio/sdk";
import { WebSocket, type RawData } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxHost, type SandboxHost } from "./server";

/** How long a test waits for expected PTY output, in ms. */
const OUTPUT_TIMEOUT_MS = 10_000;
/** Polling period of the output waiter, in ms. */
const POLL_MS = 20;
/** Output kept per collector for matching, in characters. */
const KEPT_OUTPUT_CHARS = 256 * 1024;
const SDK_VERSION_PROTOCOL = "X-Daytona-SDK-Version~0.218.0";
const EXIT_CONTROL_PROTOCOL = "X-Daytona-Pty-Exit-Control";

/** Accumulates PTY output and waits for a string to appear in it. */
class Output {
  #text = "";
  #decoder = new TextDecoder();
  readonly onData = (data: Uint8Array): void => {
    this.#text += this.#decoder.decode(data, { stream: true });
    if (this.#text.length > 2 * KEPT_OUTPUT_CHARS) this.#text = this.#text.slice(-KEPT_OUTPUT_CHARS);
  };
  get text(): string {
    return this.#text;
  }
  async waitFor(needle: string, timeoutMs = OUTPUT_TIMEOUT_MS): Promise<void> {
    await until(() => this.#text.includes(needle), `output to contain ${JSON.stringify(needle)}`, timeoutMs, () =>
      JSON.stringify(this.#text.slice(-500)),
    );
  }
}

async function until(check: () => boolean, what: string, timeoutMs: number, detail = () => ""): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function client(host: SandboxHost): Daytona {
  return new Daytona({ apiKey: "local", apiUrl: host.apiUrl, target: "local", useDeprecatedPolling: true });
}

async function dispose(daytona: Daytona): Promise<void> {
  await daytona[Symbol.asyncDispose]();
}

async function api(host: SandboxHost, path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(host.url + path, {
    ...init,
    headers: { authorization: "Bearer local", "content-type": "application/json", ...init.headers },
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Plain text body.
  }
  return { status: response.status, body };
}

describe("local sandbox host with the real SDK", () => {
  let dataDir: string;
  let host: SandboxHost;
  let daytona: Daytona;
  let sandbox: Sandbox;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "nightona-sandbox-host-"));
    process.env.NIGHTONA_TEST_HOST_SECRET = "must-not-leak";
    host = await startSandboxHost({ port: 0, dataDir });
    daytona = client(host);
    sandbox = await daytona.create({ name: "room-a", labels: { app: "nightona", room: "a" } });
  });

  afterAll(async () => {
    delete process.env.NIGHTONA_TEST_HOST_SECRET;
    await dispose(daytona);
    await host.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("creates, gets by name, lists by labels, and refuses a duplicate name with 409", async () => {
    expect(sandbox.state).toBe("started");
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.toolboxProxyUrl).toBe(`${host.url}/toolbox`);

    const byName = await daytona.get("room-a");
    expect(byName.id).toBe(sandbox.id);
    expect(byName.labels).toMatchObject({ app: "nightona", room: "a" });

    await daytona.create({ name: "room-b", labels: { app: "nightona", room: "b" } });
    const found: string[] = [];
    for await (const item of daytona.list({ labels: { app: "nightona", room: "a" } })) found.push(item.name);
    expect(found).toEqual(["room-a"]);

    await expect(daytona.create({ name: "room-a" })).rejects.toBeInstanceOf(DaytonaConflictError);
    await expect(daytona.get("no-such-sandbox")).rejects.toBeInstanceOf(DaytonaNotFoundError);

    const preview = await sandbox.getPreviewLink(1);
    expect(preview.token.length).toBeGreaterThan(16);
    expect(preview.url).toBe(`${host.url}/preview/${sandbox.id}/1/`);
  });

  it("runs a PTY with the client's envs and a clean environment, and resizes it", async () => {
    const out = new Output();
    const pty = await sandbox.process.createPty({ id: "env", envs: { FOO: "bar-from-envs" }, cols: 90, rows: 20, onData: out.onData });
    await pty.sendInput("echo foo=$FOO secret=[$NIGHTONA_TEST_HOST_SECRET] sandbox=$IS_SANDBOX term=$TERM\r");
    await out.waitFor("foo=bar-from-envs secret=[] sandbox=1 term=xterm-256color");

    await pty.sendInput("pwd\r");
    await out.waitFor(`${dataDir}/${sandbox.id}/workspace`);

    const info = await pty.resize(123, 45);
    expect(info).toMatchObject({ id: "env", active: true, cols: 123, rows: 45 });
    await pty.sendInput("stty size\r");
    await out.waitFor("45 123");

    const fetched = await sandbox.process.getPtySessionInfo("env");
    expect(fetched).toMatchObject({ id: "env", active: true, cols: 123, rows: 45, lazyStart: false });
    expect(fetched.envs).toMatchObject({ FOO: "bar-from-envs" });
    expect((await sandbox.process.listPtySessions()).map((session) => session.id)).toContain("env");

    await pty.kill();
    await pty.wait();
  });

  it("broadcasts to every attached handle, re-attaches with new output only, and reports `exit 7`", async () => {
    const first = new Output();
    const second = new Output();
    const h1 = await sandbox.process.createPty({ id: "multi", onData: first.onData });
    const h2 = await sandbox.process.connectPty("multi", { onData: second.onData });
    await h1.sendInput("echo one-$((40+1))\r");
    await first.waitFor("one-41");
    await second.waitFor("one-41");

    await expect(sandbox.process.createPty({ id: "multi", onData: () => undefined })).rejects.toBeInstanceOf(
      DaytonaConnectionError,
    );

    await h1.disconnect();
    expect((await sandbox.process.getPtySessionInfo("multi")).active).toBe(true);
    await h2.sendInput("echo two-$((40+2))\r");
    await second.waitFor("two-42");

    const third = new Output();
    const h3 = await sandbox.process.connectPty("multi", { onData: third.onData });
    await h3.sendInput("echo three-$((40+3))\r");
    await third.waitFor("three-43");
    await second.waitFor("three-43");
    expect(third.text).not.toContain("two-42");

    await h3.sendInput("exit 7\r");
    expect(await h3.wait()).toEqual({ exitCode: 7, error: "non-zero exit" });
    expect((await h2.wait()).exitCode).toBe(7);
    await expect(sandbox.process.getPtySessionInfo("multi")).rejects.toBeInstanceOf(DaytonaNotFoundError);
    await expect(sandbox.process.connectPty("multi", { onData: () => undefined })).rejects.toThrow(/not found/);
  });

  it("kills a PTY with exit code 137 and frees its id", async () => {
    const pty = await sandbox.process.createPty({ id: "doomed", onData: () => undefined });
    await pty.kill();
    expect(await pty.wait()).toEqual({ exitCode: 137, error: "SIGKILL" });
    await expect(sandbox.process.getPtySessionInfo("doomed")).rejects.toBeInstanceOf(DaytonaNotFoundError);
    const again = await sandbox.process.createPty({ id: "doomed", onData: () => undefined });
    await again.kill();
    await again.wait();
  });

  it("speaks the workerd way: token in the query, SDK-version subprotocol echoed", async () => {
    const { token } = await sandbox.getPreviewLink(1);
    const base = `${host.url.replace(/^http/, "ws")}/toolbox/${sandbox.id}/process/pty`;
    const envs = Buffer.from(JSON.stringify({ WS_VAR: "from-subprotocol" })).toString("base64url");
    const ws = new WebSocket(`${base}/create-connect?id=raw&cols=80&rows=24&DAYTONA_SANDBOX_AUTH_KEY=${token}`, [
      SDK_VERSION_PROTOCOL,
      `X-Daytona-Pty-Envs~${envs}`,
      EXIT_CONTROL_PROTOCOL,
    ]);
    const texts: string[] = [];
    const out = new Output();
    ws.on("message", (data: RawData, isBinary: boolean) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary) out.onData(bytes);
      else texts.push(bytes.toString("utf8"));
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    expect(ws.protocol).toBe(SDK_VERSION_PROTOCOL);
    await until(() => texts.length > 0, "the connected frame", OUTPUT_TIMEOUT_MS);
    expect(JSON.parse(texts[0] ?? "")).toEqual({ type: "control", status: "connected" });

    ws.send(Buffer.from("echo ws=$WS_VAR-$((6*7))\r"));
    await out.waitFor("ws=from-subprotocol-42");
    ws.send(Buffer.from("exit 3\r"));
    expect(await closed).toEqual({ code: 1011, reason: JSON.stringify({ exitCode: 3, exitReason: "non-zero exit" }) });
    expect(JSON.parse(texts.at(-1) ?? "")).toEqual({ type: "control", status: "exited", exitCode: 3, exitReason: "non-zero exit" });

    const refused = new WebSocket(`${base}/create-connect?id=raw2&DAYTONA_SANDBOX_AUTH_KEY=wrong-token`, [
      SDK_VERSION_PROTOCOL,
      EXIT_CONTROL_PROTOCOL,
    ]);
    const status = await new Promise<number>((resolve, reject) => {
      refused.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      refused.once("open", () => reject(new Error("a wrong token was accepted")));
      refused.once("error", () => undefined);
    });
    expect(status).toBe(401);
  });

  it("drops a client that stops reading with 1008 while the PTY and other clients carry on", async () => {
    const fast = new Output();
    const pty = await sandbox.process.createPty({ id: "flood", onData: fast.onData });
    const { token } = await sandbox.getPreviewLink(1);
    const slow = new WebSocket(
      `${host.url.replace(/^http/, "ws")}/toolbox/${sandbox.id}/process/pty/flood/connect?DAYTONA_SANDBOX_AUTH_KEY=${token}`,
      [EXIT_CONTROL_PROTOCOL],
    );
    const slowClosed = new Promise<{ code: number; reason: string }>((resolve) =>
      slow.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    let connected = false;
    slow.on("message", () => (connected = true));
    await until(() => connected, "the slow client to attach", OUTPUT_TIMEOUT_MS);
    slow.pause();

    // About 48 MiB of output: more than the drop bound plus the kernel's socket buffers.
    await pty.sendInput("head -c 50000000 /dev/zero | tr '\\0' x; echo; echo flood-done-$((1+1))\r");
    await fast.waitFor("flood-done-2", 30_000);
    slow.resume();
    expect(await slowClosed).toEqual({ code: 1008, reason: "slow consumer" });

    await pty.sendInput("echo still-alive-$((2+3))\r");
    await fast.waitFor("still-alive-5");
    await pty.kill();
    await pty.wait();
  });

  it("answers errors in Daytona's shapes", async () => {
    expect(await api(host, "/api/sandbox", { method: "POST", body: "{not json" })).toMatchObject({
      status: 400,
      body: { statusCode: 400, error: "Bad Request" },
    });
    expect(await api(host, "/api/nowhere")).toMatchObject({ status: 404, body: { statusCode: 404 } });
    expect((await api(host, "/api/sandbox", { headers: { authorization: "" } })).status).toBe(401);
    expect((await api(host, "/api/socket.io/?EIO=4&transport=polling")).status).toBe(404);
    const toolbox = `/toolbox/${sandbox.id}/process/pty`;
    expect(await api(host, `${toolbox}/missing`)).toEqual({ status: 404, body: { error: "PTY session not found" } });
    expect(
      (await api(host, `${toolbox}/missing/resize`, { method: "POST", body: JSON.stringify({ cols: 10, rows: 10 }) })).status,
    ).toBe(410);
    expect(
      (await api(host, `${toolbox}/missing/resize`, { method: "POST", body: JSON.stringify({ cols: 0, rows: 10 }) })).status,
    ).toBe(400);

    const created = await api(host, toolbox, { method: "POST", body: JSON.stringify({ id: "lazy", lazyStart: true }) });
    expect(created).toEqual({ status: 201, body: { sessionId: "lazy" } });
    expect(await api(host, `${toolbox}/lazy`)).toMatchObject({ status: 200, body: { id: "lazy", active: false, lazyStart: true } });
    expect((await api(host, toolbox, { method: "POST", body: JSON.stringify({ id: "lazy" }) })).status).toBe(409);
    expect(await api(host, `${toolbox}/lazy`, { method: "DELETE" })).toEqual({
      status: 200,
      body: { message: "PTY session deleted" },
    });
  });

  it("works in event-streaming mode, where the socket.io connection gets a 404", async () => {
    const streaming = new Daytona({ apiKey: "local", apiUrl: host.apiUrl, target: "local" });
    try {
      expect((await streaming.get(sandbox.id)).name).toBe("room-a");
    } finally {
      await dispose(streaming);
    }
  });

  it("stop drops attached PTYs abnormally and refuses toolbox calls; start brings the sandbox back", async () => {
    const pty: PtyHandle = await sandbox.process.createPty({ id: "main", onData: () => undefined });
    // wait() must be pending before the socket drops: called after an abnormal close, it never settles.
    const waited = pty.wait();
    await sandbox.stop();
    expect(sandbox.state).toBe("stopped");
    expect((await waited).exitCode).toBeUndefined();
    await expect(sandbox.process.listPtySessions()).rejects.toThrow(/Is the Sandbox started\?/);

    await sandbox.start();
    expect(sandbox.state).toBe("started");
    const out = new Output();
    const again = await sandbox.process.createPty({ id: "main", onData: out.onData });
    await again.sendInput("echo back-$((1+1))\r");
    await out.waitFor("back-2");
    await again.kill();
    await again.wait();
  });

  it("remembers sandboxes across a host restart, as stopped", async () => {
    const pty = await sandbox.process.createPty({ id: "before-restart", onData: () => undefined });
    const waited = pty.wait();
    await host.close();
    expect((await waited).exitCode).toBeUndefined();
    await dispose(daytona);

    host = await startSandboxHost({ port: 0, dataDir });
    daytona = client(host);
    const restored = await daytona.get("room-a");
    expect(restored.id).toBe(sandbox.id);
    expect(restored.state).toBe("stopped");
    await restored.start();
    const out = new Output();
    const fresh = await restored.process.createPty({ id: "before-restart", onData: out.onData });
    await fresh.sendInput("echo restarted-$((3+4))\r");
    await out.waitFor("restarted-7");
    await fresh.kill();
    await fresh.wait();
  });
});
