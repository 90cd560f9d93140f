// `npm run bench`: keystroke echo latency and output throughput of the full stack (Worker + SessionRoom under
// wrangler dev, the real @daytonaio/sdk, the local sandbox host's node-pty) against a baseline relay (ws + node-pty,
// raw bytes), measured in one run with the same client code. Prints a table with PASS/FAIL per target; not a test.
// Options: --reps N (throughput runs per size, default 3), --samples N (echo keys, default 300), --mb N (file size in MB,
// default 20), --small-mb N (a second, smaller file for context when the big one is too much; 0 = none; default 5),
// --clients N (fan-out, default 10), --only echo|throughput, --verbose (wrangler's output to stderr).
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, platform, arch, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createSession, type SessionLinks } from "../test/support/stack-client";
import { cpuDelta, cpuSnapshot } from "./cpu";
import { isDying, onFatal } from "./fatal";
import { type FanMode, newSideResults, report, type SideName, type SideResults } from "./results";
import { type Servers, startServers } from "./servers-process";
import { fixed, median, percentile } from "./stats";
import { BaselineTerminal, StackTerminal, type Terminal } from "./terminal";
import { catThroughput, type DataFile, echoLatency, startCat, writeDataFile } from "./workloads";

const SESSION_RUNNING_TIMEOUT_MS = 60_000;
const THROUGHPUT_TIMEOUT_MS = 60_000;
const LINE_BYTES = 80;
const COLS = 120;
const ROWS = 32;

const { values: args } = parseArgs({
  options: {
    reps: { type: "string", default: "3" },
    samples: { type: "string", default: "300" },
    warmup: { type: "string", default: "50" },
    mb: { type: "string", default: "20" },
    "small-mb": { type: "string", default: "5" },
    clients: { type: "string", default: "10" },
    verbose: { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const REPS = positiveInt(args.reps, "reps");
const SAMPLES = positiveInt(args.samples, "samples");
const WARMUP = positiveInt(args.warmup, "warmup");
const MEGABYTES = positiveInt(args.mb, "mb");
const SMALL_MEGABYTES = args["small-mb"] === "0" ? 0 : positiveInt(args["small-mb"], "small-mb");
const CLIENTS = positiveInt(args.clients, "clients");

type Role = "writer" | "viewer";

/** One way to get a terminal connection: through the baseline relay or through the full stack. */
interface Side {
  name: SideName;
  label: string;
  open(session: string, role: Role): Promise<Terminal>;
}

const log = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);

function positiveInt(value: string | undefined, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return number;
}

// --- the two sides ---

function baselineSide(url: string): Side {
  return {
    name: "baseline",
    label: "baseline relay",
    open: (session) => BaselineTerminal.open(url, session),
  };
}

/** The baseline relay with its shell under `script`, as the stack's sandbox PTY keeps its recording (for context). */
function recordingBaselineSide(url: string): Side {
  return {
    name: "recorded",
    label: "baseline relay with a recording",
    open: (session) => BaselineTerminal.open(url, `recorded-${session}`, `recorded/${session}`, true),
  };
}

function stackSide(url: string): Side {
  const sessions = new Map<string, Promise<SessionLinks>>();
  let opened = 0;
  return {
    name: "stack",
    label: "full stack",
    open: async (session, role) => {
      let links = sessions.get(session);
      if (!links) {
        links = createSession(url, { command: "bash", cols: COLS, rows: ROWS });
        sessions.set(session, links);
      }
      const { id, tokens } = await links;
      const terminal = await StackTerminal.open(url, id, role === "writer" ? tokens.write : tokens.read, `stack/${session}#${++opened}`);
      try {
        await terminal.waitForRunning(SESSION_RUNNING_TIMEOUT_MS);
      } catch (error) {
        await terminal.close();
        throw error;
      }
      return terminal;
    },
  };
}

// --- the workloads per side ---

async function runEcho(side: Side, results: SideResults): Promise<void> {
  const terminal = await side.open("echo", "writer");
  try {
    results.extensions = terminal.extensions;
    await startCat(terminal);
    results.echo = await echoLatency(terminal, { warmup: WARMUP, samples: SAMPLES, gapMs: 4, lineLength: 100, timeoutMs: 5000 });
    log(`echo ${side.name}: p50 ${fixed(median(results.echo), 3)} ms, p99 ${fixed(percentile(results.echo, 99), 3)} ms`);
  } finally {
    await terminal.close();
  }
}

async function timeRun(
  side: Side,
  terminals: Terminal[],
  file: DataFile,
  mode: FanMode,
  results: SideResults,
  size: number,
  cpu: () => ReturnType<typeof cpuSnapshot>,
): Promise<void> {
  const series = results.throughput[size]![mode];
  const before = cpu();
  const run = await catThroughput(terminals, file, THROUGHPUT_TIMEOUT_MS);
  series.cpu.push(cpuDelta(before, cpu()));
  series.ms.push(run.ms);
  const bytes = run.clients.reduce((sum, client) => sum + client.bytes, 0);
  const frames = run.clients.reduce((sum, client) => sum + client.frames, 0);
  series.frameBytes.push(bytes / frames);
  log(
    `${file.bytes / 1e6} MB to ${terminals.length} client(s), ${side.name}: ${fixed(run.ms / 1000, 2)} s ` +
      `(${fixed(file.bytes / 1e6 / (run.ms / 1000), 1)} MB/s per client, ${Math.round(bytes / frames)} B/frame)`,
  );
}

/** The terminals of one side's throughput session; after a failed run it starts over on a fresh session. */
class ThroughputPool {
  terminals: Terminal[] = [];
  #sessions = 0;

  constructor(
    readonly side: Side,
    /** Index of the file size, so that each size gets sessions of its own. */
    readonly size: number,
  ) {}

  /** Makes sure `count` clients are attached (the first one types), opening a new session if the last one failed. */
  async attach(count: number): Promise<Terminal[]> {
    if (this.terminals.length === 0) {
      this.#sessions++;
      this.terminals.push(await this.side.open(this.#session, "writer"));
    }
    while (this.terminals.length < count) this.terminals.push(await this.side.open(this.#session, "viewer"));
    return this.terminals;
  }

  async reset(): Promise<void> {
    for (const terminal of this.terminals.splice(0)) await terminal.close().catch(() => undefined);
  }

  get #session(): string {
    return `throughput-${this.size}-${this.#sessions}`;
  }
}

/**
 * Throughput to one client, then to `CLIENTS` clients of the same session; the sides alternate run by run. A failed
 * run is recorded (it fails the target) and the side goes on with a fresh session.
 */
async function runThroughput(
  sides: Side[],
  results: Record<SideName, SideResults>,
  file: DataFile,
  size: number,
  cpu: () => ReturnType<typeof cpuSnapshot>,
): Promise<void> {
  const pools = sides.map((side) => new ThroughputPool(side, size));
  const attempt = async (pool: ThroughputPool, mode: FanMode, timed: boolean): Promise<void> => {
    const result = results[pool.side.name];
    try {
      const terminals = await pool.attach(mode === "one" ? 1 : CLIENTS);
      if (timed) await timeRun(pool.side, terminals, file, mode, result, size, cpu);
      else await catThroughput(terminals, file, THROUGHPUT_TIMEOUT_MS);
    } catch (error) {
      const what = `${timed ? "" : "warm-up "}run of ${file.bytes / 1e6} MB to ${mode === "one" ? 1 : CLIENTS} client(s)`;
      result.throughput[size]![mode].failed++;
      result.errors.push(`${what}: ${errorText(error)}`);
      log(`${pool.side.name}: ${what} failed: ${errorText(error).slice(0, 200)}`);
      await pool.reset();
    }
  };
  try {
    for (const pool of pools) await attempt(pool, "one", false); // warm-up: page cache, JIT
    for (let rep = 0; rep < REPS; rep++) for (const pool of pools) await attempt(pool, "one", true);
    for (let rep = 0; rep < REPS; rep++) for (const pool of pools) await attempt(pool, "many", true);
  } finally {
    for (const pool of pools) await pool.reset();
  }
}


function environmentFacts(): string[] {
  const cpu = cpus();
  return [
    `date: ${new Date().toISOString()}`,
    `node ${process.version} (${process.execPath.includes("node_modules") ? "from node_modules" : "system"}), ` +
      `${platform()} ${arch()} ${release()}`,
    `cores: ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown"}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `load average at start: ${loadavg().map((load) => load.toFixed(2)).join(" ")}`,
  ];
}

/** "3 × a, 1 × b" */
function summarize(items: string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, count]) => `${count} × ${item}`).join(", ");
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// --- main ---

async function main(): Promise<number> {
  const started = performance.now();
  const facts = environmentFacts();
  const workDir = await mkdtemp(join(tmpdir(), "nightona-bench-"));
  let servers: Servers | undefined;
  onFatal(async () => {
    await servers?.stop();
    await rm(workDir, { recursive: true, force: true });
  });
  const sizes = [MEGABYTES, ...(SMALL_MEGABYTES > 0 && SMALL_MEGABYTES < MEGABYTES ? [SMALL_MEGABYTES] : [])];
  const results: Record<SideName, SideResults> = {
    baseline: newSideResults(sizes.length),
    recorded: newSideResults(sizes.length),
    stack: newSideResults(sizes.length),
  };
  try {
    const files: DataFile[] = [];
    for (const megabytes of sizes) {
      const lines = Math.round((megabytes * 1e6) / LINE_BYTES);
      files.push(await writeDataFile(join(workDir, `data-${megabytes}mb.txt`), lines, LINE_BYTES));
    }
    log(`wrote ${files.map((file) => `${file.bytes / 1e6} MB`).join(" and ")} of text; starting the baseline relay and the stack…`);
    servers = await startServers(join(workDir, "servers"), args.verbose);
    log(`servers ready after ${fixed((performance.now() - started) / 1000, 1)} s: baseline ${servers.baselineUrl}, stack ${servers.stackUrl}`);
    const sides = [baselineSide(servers.baselineUrl), recordingBaselineSide(servers.baselineUrl), stackSide(servers.stackUrl)];

    if (args.only !== "throughput") {
      for (const side of sides) {
        try {
          await runEcho(side, results[side.name]);
        } catch (error) {
          results[side.name].errors.push(`echo: ${errorText(error)}`);
          log(`${side.name}: echo failed: ${errorText(error)}`);
        }
      }
    }
    if (args.only !== "echo") {
      const stackPort = new URL(servers.stackUrl).port;
      const serversPid = servers.pid;
      const cpu = (): ReturnType<typeof cpuSnapshot> => cpuSnapshot(serversPid, stackPort);
      for (const [size, file] of files.entries()) await runThroughput(sides, results, file, size, cpu);
    }

    if (isDying()) return 130; // interrupted: no report from a half-stopped stack
    const settings = { samples: SAMPLES, warmup: WARMUP, reps: REPS, clients: CLIENTS, lineBytes: LINE_BYTES };
    const notes = servers.closedSockets.length
      ? [`The servers closed ${servers.closedSockets.length} socket(s) on purpose: ${summarize(servers.closedSockets)}`]
      : [];
    process.stdout.write(report(results, files, settings, facts, notes));
    log(`done in ${fixed((performance.now() - started) / 1000, 1)} s`);
    // Missed targets (even runs the full stack could not finish) are results, not errors; a failing baseline is one.
    return results.baseline.errors.length === 0 && results.recorded.errors.length === 0 ? 0 : 1;
  } finally {
    await servers?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    if (!isDying()) process.exit(code); // after Ctrl-C, the cleanup in fatal.ts exits
  },
  (error: unknown) => {
    console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
