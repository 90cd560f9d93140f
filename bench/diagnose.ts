// Where does the full stack's time go? `npx tsx bench/diagnose.ts [--mb N] [--patch NAME]... [--no-deflate]`
// 1. Echo attribution, interleaved in rounds so that the machine's noise hits every path alike: the same keystroke
//    workload along
//      baseline         Node → the baseline relay (ws + node-pty)
//      sdk              Node → @daytonaio/sdk → sandbox host (no workerd at all)
//      probe DO         Node → wrangler dev → a ten-line Durable Object relay with accept() → baseline relay
//      probe DO hib.    the same with the hibernation API (bench/probe-worker.ts)
//      stack direct     Node → the workerd running the Worker + SessionRoom (skipping wrangler's proxy) → sandbox host
//      stack            Node → wrangler's proxy workerd → Worker + SessionRoom → SDK → sandbox host (= npm run bench)
//    Each round trip is split where it passes the Node-side server (sandbox host or baseline relay): client→server,
//    server→PTY→server, server→client.
// 2. Throughput of the stack to 1 and N clients (and to 1 skipping wrangler's proxy), with what the sandbox host sent
//    (messages, sizes, peak unsent bytes).
// Everything except workerd/wrangler runs in this one process: compare the rows with each other, not with npm run bench.
// --patch applies an experimental change to the private copy of the tree the stack runs from (never to the tree):
//   coalesce-do    SessionRoom#relay batches PTY chunks for one macrotask into one output frame
//   no-hibernate   SessionRoom accepts browser sockets without the hibernation API (partyserver hibernate: false)
//   no-tools       SessionRoom does not feed the output to the Claude Code TUI parser
// --no-deflate opens the stack's sockets without offering permessage-deflate (browsers always offer it).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Daytona, type PtyHandle } from "@daytonaio/sdk";
import { performance } from "node:perf_hooks";
import { WebSocket } from "ws";
import { REPO_ROOT, type Stack } from "../scripts/stack";
import { createSession } from "../test/support/stack-client";
import { snapshotStack } from "./snapshot";
import { findDirectUrl } from "./workerd-direct";
import { startBaselineRelay } from "./baseline-relay";
import { cpuDelta, cpuSnapshot } from "./cpu";
import { onFatal } from "./fatal";
import { startWranglerProbe } from "./probe-worker";
import { fixed, median, percentile, table } from "./stats";
import { BaselineTerminal, StackTerminal, sleep, withTimeout, type OutputListener, type Terminal } from "./terminal";
import { catThroughput, type DataFile, startCat, writeDataFile } from "./workloads";

const { values: args } = parseArgs({
  options: {
    mb: { type: "string", default: "5" },
    samples: { type: "string", default: "200" },
    reps: { type: "string", default: "3" },
    clients: { type: "string", default: "10" },
    patch: { type: "string", multiple: true, default: [] },
    "no-deflate": { type: "boolean", default: false },
    rounds: { type: "string", default: "5" },
    "per-round": { type: "string", default: "60" },
    "skip-throughput": { type: "boolean", default: false },
    "skip-echo": { type: "boolean", default: false },
  },
});

// --- experimental patches, applied to the snapshot only ---

const PATCHES: Record<string, { file: string; from: string; to: string }[]> = {
  "coalesce-do": [
    {
      file: "worker/session-room.ts",
      // Renames the room's relay and puts a batching one in front of it, whatever the relay's body is today.
      from: `  #relay(data: Uint8Array): void {`,
      to: `  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #relay(data: Uint8Array): void {
    this.#pending.push(data);
    this.#pendingBytes += data.byteLength;
    if (this.#pending.length === 1) setTimeout(() => this.#flushPending(), 0);
  }
  #flushPending(): void {
    let data = this.#pending[0]!;
    if (this.#pending.length > 1) {
      data = new Uint8Array(this.#pendingBytes);
      let at = 0;
      for (const chunk of this.#pending) { data.set(chunk, at); at += chunk.byteLength; }
    }
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#relayNow(data);
  }
  #relayNow(data: Uint8Array): void {`,
    },
  ],
  "no-tools": [
    {
      file: "worker/session-room.ts",
      from: `      this.#tools?.write(data, offset);`,
      to: `      void offset; // diagnose: parser off`,
    },
  ],
  "no-hibernate": [
    {
      file: "worker/session-room.ts",
      from: `static override options = { hibernate: true };`,
      to: `static override options = { hibernate: false };`,
    },
  ],
};

async function applyPatches(tree: string, names: string[]): Promise<void> {
  for (const name of names) {
    const edits = PATCHES[name];
    if (!edits) throw new Error(`unknown --patch ${name}; known: ${Object.keys(PATCHES).join(", ")}`);
    for (const edit of edits) {
      const path = join(tree, edit.file);
      const text = await readFile(path, "utf8");
      if (!text.includes(edit.from)) throw new Error(`--patch ${name}: ${edit.file} no longer contains the code it replaces`);
      await writeFile(path, text.replace(edit.from, edit.to));
    }
  }
}

// --- instrumentation of the Node-side servers (server-side `ws` sockets in this process) ---

/** What server-side sockets sent during a throughput run. */
const sent = { messages: 0, bytes: 0, peakBuffered: 0 };
/** When a server-side socket last received a message (input) and last sent one (output). */
const marks = { input: 0, output: 0 };
type ServerSocket = WebSocket & { _isServer?: boolean };
{
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: ServerSocket, ...rest: Parameters<WebSocket["send"]>) {
    if (this._isServer) {
      marks.output = performance.now();
      if (typeof rest[0] !== "string") {
        sent.messages++;
        sent.bytes += (rest[0] as Buffer).byteLength ?? 0;
        sent.peakBuffered = Math.max(sent.peakBuffered, this.bufferedAmount);
      }
    }
    return send.apply(this, rest);
  } as WebSocket["send"];
  const emit = WebSocket.prototype.emit;
  WebSocket.prototype.emit = function (this: ServerSocket, event: string | symbol, ...rest: unknown[]) {
    if (this._isServer && event === "message") marks.input = performance.now();
    return emit.call(this, event, ...rest);
  } as WebSocket["emit"];
  const close = WebSocket.prototype.close;
  WebSocket.prototype.close = function (this: ServerSocket, code?: number, reason?: string | Buffer) {
    if (this._isServer && code !== undefined && code !== 1000 && code !== 1011) { // 1011: a PTY exited (killed on close)
      console.log(`  a Node-side server closed a socket: ${code} ${String(reason ?? "")} with ${(this.bufferedAmount / 2 ** 20).toFixed(2)} MiB unsent`);
    }
    return close.call(this, code, reason);
  } as WebSocket["close"];
}
const resetSent = (): void => void Object.assign(sent, { messages: 0, bytes: 0, peakBuffered: 0 });

interface Split {
  total: number[];
  inbound: number[];
  pty: number[];
  outbound: number[];
}

/** Echo round trips split where they pass the Node-side server. Needs `startCat` first. */
async function splitEcho(terminal: Terminal, samples: number, into: Split): Promise<void> {
  for (let i = 0; i < samples; i++) {
    if (i % 100 === 99) {
      terminal.send("\r");
      await sleep(30);
    }
    const key = 0x61 + (i % 26);
    const echoed = new Promise<number>((done) => {
      const remove = terminal.onOutput((chunk) => {
        if (chunk.includes(key)) {
          remove();
          done(performance.now());
        }
      });
    });
    const t0 = performance.now();
    terminal.send(new Uint8Array([key]));
    const t3 = await withTimeout(echoed, 5000, `${terminal.label}: echo`);
    into.total.push(t3 - t0);
    into.inbound.push(marks.input - t0);
    into.pty.push(marks.output - marks.input);
    into.outbound.push(t3 - marks.output);
    await sleep(4);
  }
  terminal.send("\r");
  await sleep(30);
}

// --- a Terminal over the SDK's PtyHandle ---

class SdkTerminal implements Terminal {
  received = 0;
  frames = 0;
  readonly extensions = "";
  #listeners = new Set<OutputListener>();
  #handle!: PtyHandle;

  private constructor(
    readonly label: string,
    private readonly daytona: Daytona,
  ) {}

  static async open(apiUrl: string, name: string): Promise<SdkTerminal> {
    const daytona = new Daytona({ apiKey: "local", apiUrl });
    const terminal = new SdkTerminal(`sdk/${name}`, daytona);
    const sandbox = await daytona.create({ name: `diagnose-${name}-${Date.now()}` });
    terminal.#handle = await sandbox.process.createPty({
      id: "diagnose",
      cols: 120,
      rows: 32,
      envs: { TERM: "xterm-256color", COLORTERM: "truecolor" },
      onData: (data) => {
        const before = terminal.received;
        terminal.received += data.byteLength;
        terminal.frames++;
        for (const listener of terminal.#listeners) listener(data, before);
      },
    });
    await terminal.#handle.waitForConnection();
    return terminal;
  }

  send(bytes: Uint8Array | string): void {
    void this.#handle.sendInput(bytes);
  }
  onOutput(listener: OutputListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  onFailure(): () => void {
    return () => undefined;
  }
  diagnostics(): string {
    return "";
  }
  async close(): Promise<void> {
    await this.#handle.kill().catch(() => undefined);
    await this.#handle.disconnect();
    await this.daytona[Symbol.asyncDispose]();
  }
}

// --- main ---

type Opener = (role: "writer" | "viewer") => Promise<Terminal>;

async function throughput(label: string, open: Opener, counts: number[], file: DataFile, proxyPort = ""): Promise<void> {
  const terminals = [await open("writer")];
  try {
    await catThroughput(terminals, file, 60_000); // warm-up
    for (const count of counts) {
      while (terminals.length < count) terminals.push(await open("viewer"));
      const times: number[] = [];
      const workerCpu: number[] = [];
      const proxyCpu: number[] = [];
      let frames = 0;
      let bytes = 0;
      for (let rep = 0; rep < Number(args.reps); rep++) {
        resetSent();
        const before = cpuSnapshot(process.pid, proxyPort);
        const run = await catThroughput(terminals, file, 60_000);
        const cpu = cpuDelta(before, cpuSnapshot(process.pid, proxyPort));
        workerCpu.push(cpu.worker ?? 0);
        proxyCpu.push(cpu.proxy ?? 0);
        times.push(run.ms);
        frames += run.clients[0]!.frames;
        bytes += run.clients[0]!.bytes;
      }
      console.log(
        `${label.padEnd(14)} ${String(count).padStart(2)} client(s): ${fixed(median(times) / 1000, 2)} s = ` +
          `${fixed(file.bytes / 1e6 / (median(times) / 1000), 1)} MB/s; client frames avg ${Math.round(bytes / frames)} B; ` +
          `server sent ${sent.messages} msgs avg ${Math.round(sent.bytes / Math.max(1, sent.messages))} B, ` +
          `peak unsent ${(sent.peakBuffered / 2 ** 20).toFixed(2)} MiB (last run); CPU ms per run: workerd Worker+DO ` +
          `${fixed(median(workerCpu), 0)}, wrangler's proxy ${fixed(median(proxyCpu), 0)}`,
      );
    }
  } finally {
    for (const terminal of terminals) await terminal.close();
  }
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), "nightona-diagnose-"));
  const closers: Array<() => Promise<unknown>> = [];
  onFatal(async () => {
    for (const close of [...closers].reverse()) await close().catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  });
  try {
    const file = await writeDataFile(join(workDir, "data.txt"), Math.round((Number(args.mb) * 1e6) / 80), 80);
    const tree = await snapshotStack(REPO_ROOT, join(workDir, "tree"));
    await applyPatches(tree, args.patch);
    const { startStack } = (await import(pathToFileURL(join(tree, "scripts/stack.ts")).href)) as typeof import("../scripts/stack");
    const stack: Stack = await startStack({ stateDir: join(workDir, "stack"), vars: { DAYTONA_API_KEY: "", DEFAULT_COMMAND: "bash" } });
    closers.push(() => stack.close());
    const directUrl = await findDirectUrl(stack.url);
    const relay = await startBaselineRelay({ workDir: join(workDir, "baseline") });
    closers.push(() => relay.close());
    const probe = await startWranglerProbe(join(workDir, "probe"));
    closers.push(() => probe.close());
    const probeWs = probe.url.replace(/^http/, "ws");
    const upstream = (session: string): string => encodeURIComponent(`${relay.url}/?session=${session}`);
    const apiUrl = stack.sandboxHost!.apiUrl;
    console.log(
      `patches: ${args.patch.join(", ") || "none"}; stack clients ${args["no-deflate"] ? "do not offer" : "offer"} permessage-deflate; ` +
        `${args.mb} MB file; date ${new Date().toISOString()}`,
    );

    const viaWorker = (base: string, name: string): Opener => {
      let session: ReturnType<typeof createSession> | undefined; // created on first use, awaited at once
      let n = 0;
      return async (role) => {
        session ??= createSession(base, { command: "bash", cols: 120, rows: 32 });
        const { id, tokens } = await session;
        const terminal = await StackTerminal.open(base, id, role === "writer" ? tokens.write : tokens.read, `${name}#${++n}`, {
          perMessageDeflate: !args["no-deflate"],
        });
        await terminal.waitForRunning(60_000);
        return terminal;
      };
    };

    const NO_DEFLATE = { perMessageDeflate: false };
    // 1. Echo attribution, interleaved.
    const paths: Array<{ label: string; open: () => Promise<Terminal> }> = [
      { label: "baseline", open: () => BaselineTerminal.open(relay.url, "echo") },
      { label: "sdk", open: () => SdkTerminal.open(apiUrl, "echo") },
      // Without compression, as the stack's browser sockets (the probe would agree to it).
      { label: "probe DO", open: () => BaselineTerminal.connect(`${probeWs}/?mode=do&name=e1&upstream=${upstream("p1")}`, "probe-do", NO_DEFLATE) },
      { label: "probe DO hib.", open: () => BaselineTerminal.connect(`${probeWs}/?mode=hibernate&name=e2&upstream=${upstream("p2")}`, "probe-hib", NO_DEFLATE) },
      { label: "stack direct", open: () => viaWorker(directUrl, "stack-direct")("writer") },
      { label: "stack", open: () => viaWorker(stack.url, "stack")("writer") },
    ];
    const terminals: Terminal[] = [];
    if (args["skip-echo"]) paths.length = 0;
    closers.push(async () => {
      for (const terminal of terminals) await terminal.close().catch(() => undefined);
    });
    for (const path of paths) {
      const terminal = await path.open();
      terminals.push(terminal);
      await startCat(terminal);
      await splitEcho(terminal, 30, { total: [], inbound: [], pty: [], outbound: [] }); // warm-up
    }
    const splits: Split[] = paths.map(() => ({ total: [], inbound: [], pty: [], outbound: [] }));
    const rounds = Number(args.rounds);
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < paths.length; k++) {
        const index = (k + round) % paths.length;
        await splitEcho(terminals[index]!, Number(args["per-round"]), splits[index]!);
      }
    }
    const cell = (values: number[]): string => fixed(median(values), 3);
    if (paths.length) console.log(
      `\nEcho, ${rounds} interleaved rounds × ${args["per-round"]} keys per path; median ms (p90 for the total)\n` +
        table(
          ["Path", "total p50", "total p90", "client→server", "server→PTY→server", "server→client"],
          paths.map((path, index) => {
            const split = splits[index]!;
            return [path.label, cell(split.total), fixed(percentile(split.total, 90), 3), cell(split.inbound), cell(split.pty), cell(split.outbound)];
          }),
        ),
    );
    for (const terminal of terminals.splice(0)) await terminal.close().catch(() => undefined);

    // 2. Throughput.
    if (!args["skip-throughput"]) {
      console.log("");
      await throughput("sdk", async () => SdkTerminal.open(apiUrl, "tp"), [1], file);
      await throughput("stack direct", viaWorker(directUrl, "stack-direct-tp"), [1], file, new URL(stack.url).port);
      await throughput("stack", viaWorker(stack.url, "stack-tp"), [1, Number(args.clients)], file, new URL(stack.url).port);
    }
  } finally {
    for (const close of [...closers].reverse()) await close().catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
