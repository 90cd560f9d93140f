// `npm run bench`, second part: what "nothing lost" costs. Ctrl-C to prompt during a `yes` flood with a client
// attached that stopped reading (baseline relay and full stack, same client code), what a stalled client costs a
// streaming one, how long a client that missed output takes to resume against a fresh connection, and the Worker's
// memory per session and per client.
// Options: --reps N (default 5), --verbose (the servers' output to stderr).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createSession, type SessionLinks } from "../test/support/stack-client";
import { residentBytes } from "../test/support/process-memory";
import { serverProcesses } from "./cpu";
import { isDying, onFatal } from "./fatal";
import { startServers, type Servers } from "./servers-process";
import { fixed, median, table } from "./stats";
import { BaselineTerminal, StackTerminal, type Terminal, waitForText, withTimeout } from "./terminal";
import { catThroughput, type DataFile, writeDataFile } from "./workloads";

const RUNNING_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 30_000;
/** The flood runs this long (bytes to the typing client) before Ctrl-C. */
const FLOOD_BYTES = 4 * 1024 * 1024;
/** A prompt no output of `yes` contains. */
const PROMPT = "READY> ";
/** Output the resuming client misses: `seq 1 N` prints about 0.6 MB. */
const MISSED_LINES = 100_000;
/** What the streaming client gets, with and without a stalled client beside it: a file of 80-byte lines. */
const STREAM_MB = 5;
const MEMORY_SESSIONS = 10;
const MEMORY_CLIENTS = 20;
const COLS = 120;
const ROWS = 32;

const { values: args } = parseArgs({
  options: { reps: { type: "string", default: "5" }, verbose: { type: "boolean", default: false } },
});
const REPS = Number(args.reps);
if (!Number.isInteger(REPS) || REPS < 1) throw new Error(`--reps must be a positive integer, got ${args.reps}`);

const log = (message: string): void => void process.stderr.write(`[bench:resilience] ${message}\n`);

/** Opens clients of one session on the full stack; `role` picks the link. */
async function stackClient(url: string, links: SessionLinks, role: "writer" | "viewer", since?: number): Promise<StackTerminal> {
  const token = role === "writer" ? links.tokens.write : links.tokens.read;
  const terminal = await StackTerminal.open(url, links.id, token, `stack/${links.id.slice(0, 6)}/${role}`, { since });
  await terminal.waitForRunning(RUNNING_TIMEOUT_MS);
  return terminal;
}

/** Ctrl-C during `yes`, with a second client attached that stopped reading: ms until the prompt is back. */
async function ctrlCUnderFlood(writer: Terminal, stalled: Terminal & { pause(): void }): Promise<number> {
  const prompt = waitForText(writer, PROMPT, STEP_TIMEOUT_MS, "the prompt");
  writer.send(`PS1='${PROMPT}'\r`);
  await prompt;
  stalled.pause();
  const floodStart = writer.received;
  writer.send("yes\r");
  await withTimeout(
    new Promise<void>((done) => {
      const remove = writer.onOutput(() => {
        if (writer.received - floodStart < FLOOD_BYTES) return;
        remove();
        done();
      });
    }),
    STEP_TIMEOUT_MS,
    "the flood",
  );
  const back = waitForText(writer, PROMPT, STEP_TIMEOUT_MS, "the prompt after Ctrl-C");
  const pressed = performance.now();
  writer.send("\x03");
  return (await back).at - pressed;
}

async function floodOnBaseline(url: string, rep: number): Promise<number> {
  const session = `flood-${rep}`;
  const writer = await BaselineTerminal.open(url, session);
  const stalled = await BaselineTerminal.open(url, session, `baseline/${session}/stalled`);
  try {
    return await ctrlCUnderFlood(writer, stalled);
  } finally {
    await Promise.all([writer.close(), stalled.close()]);
  }
}

async function floodOnStack(url: string): Promise<number> {
  const links = await createSession(url, { command: "bash", cols: COLS, rows: ROWS });
  const writer = await stackClient(url, links, "writer");
  const stalled = await stackClient(url, links, "viewer");
  try {
    return await ctrlCUnderFlood(writer, stalled);
  } finally {
    await Promise.all([writer.close(), stalled.close()]);
  }
}

/** `cat` of `file` to a writer, alone and then with a viewer beside it that stopped reading: seconds of each. */
async function streamBesideStalled(url: string, links: SessionLinks, writer: StackTerminal, file: DataFile): Promise<{ alone: number; stalled: number }> {
  const alone = (await catThroughput([writer], file, RUNNING_TIMEOUT_MS)).ms / 1000;
  const stalledViewer = await stackClient(url, links, "viewer");
  stalledViewer.pause();
  try {
    return { alone, stalled: (await catThroughput([writer], file, RUNNING_TIMEOUT_MS)).ms / 1000 };
  } finally {
    await stalledViewer.close();
  }
}

/**
 * A client leaves, the session prints about 0.6 MB, the client comes back with `since`: ms until it has everything.
 * Against it, a fresh connection to the same session (ticket, upgrade, hello, the replay of the log).
 */
async function resumeAndConnect(url: string, links: SessionLinks, writer: StackTerminal, rep: number): Promise<{ resume: number; connect: number }> {
  const leaving = await stackClient(url, links, "viewer");
  const settled = waitForText(leaving, `settled-${rep}`, STEP_TIMEOUT_MS);
  writer.send(`echo settled-${rep}\r`);
  await settled;
  const since = leaving.nextOffset!;
  await leaving.close();
  const done = waitForText(writer, `missed-${rep}\r`, STEP_TIMEOUT_MS);
  writer.send(`seq 1 ${MISSED_LINES}; echo missed-${rep}\r`);
  await done;

  const resumeStart = performance.now();
  const back = await StackTerminal.open(url, links.id, links.tokens.read, `stack/resume-${rep}`, { since });
  await waitForText(back, `missed-${rep}\r`, STEP_TIMEOUT_MS);
  const resume = performance.now() - resumeStart;
  await back.close();

  const connectStart = performance.now();
  const fresh = await StackTerminal.open(url, links.id, links.tokens.read, `stack/fresh-${rep}`);
  await fresh.waitForRunning(RUNNING_TIMEOUT_MS);
  const connect = performance.now() - connectStart;
  await fresh.close();
  return { resume, connect };
}

/** Resident memory of the workerd that runs the Worker and the SessionRoom. */
function workerMemory(servers: Servers): number {
  const port = new URL(servers.stackUrl).port;
  return serverProcesses(servers.pid, port)
    .filter((process) => process.group === "worker")
    .reduce((sum, process) => sum + residentBytes(process.pid), 0);
}

async function memoryPerSessionAndClient(servers: Servers): Promise<{ perSession: number; perClient: number }> {
  const url = servers.stackUrl;
  const open: StackTerminal[] = [];
  try {
    const before = workerMemory(servers);
    const sessions: SessionLinks[] = [];
    for (let i = 0; i < MEMORY_SESSIONS; i++) {
      const links = await createSession(url, { command: "bash", cols: COLS, rows: ROWS });
      sessions.push(links);
      open.push(await stackClient(url, links, "writer"));
    }
    const withSessions = workerMemory(servers);
    for (let i = 0; i < MEMORY_CLIENTS; i++) open.push(await stackClient(url, sessions[0]!, "viewer"));
    const withClients = workerMemory(servers);
    return { perSession: (withSessions - before) / MEMORY_SESSIONS, perClient: (withClients - withSessions) / MEMORY_CLIENTS };
  } finally {
    await Promise.all(open.map((terminal) => terminal.close()));
  }
}

async function main(): Promise<number> {
  const workDir = await mkdtemp(join(tmpdir(), "nightona-bench-resilience-"));
  let servers: Servers | undefined;
  onFatal(async () => {
    await servers?.stop();
    await rm(workDir, { recursive: true, force: true });
  });
  try {
    servers = await startServers(join(workDir, "servers"), args.verbose);
    log(`servers ready: baseline ${servers.baselineUrl}, stack ${servers.stackUrl}`);

    const flood = { baseline: [] as number[], stack: [] as number[] };
    for (let rep = 0; rep < REPS; rep++) {
      flood.baseline.push(await floodOnBaseline(servers.baselineUrl, rep));
      flood.stack.push(await floodOnStack(servers.stackUrl));
      log(`Ctrl-C under a flood, run ${rep + 1}: baseline ${fixed(flood.baseline.at(-1))} ms, stack ${fixed(flood.stack.at(-1))} ms`);
    }

    const links = await createSession(servers.stackUrl, { command: "bash", cols: COLS, rows: ROWS });
    const writer = await stackClient(servers.stackUrl, links, "writer");
    const resume: number[] = [];
    const connect: number[] = [];
    const stream = { alone: [] as number[], stalled: [] as number[] };
    try {
      const file = await writeDataFile(join(workDir, "stream.txt"), Math.round((STREAM_MB * 1e6) / 80), 80);
      await catThroughput([writer], file, RUNNING_TIMEOUT_MS); // warm-up
      for (let rep = 0; rep < REPS; rep++) {
        const run = await streamBesideStalled(servers.stackUrl, links, writer, file);
        stream.alone.push(run.alone);
        stream.stalled.push(run.stalled);
        log(`${STREAM_MB} MB run ${rep + 1}: alone ${fixed(run.alone, 2)} s, beside a stalled client ${fixed(run.stalled, 2)} s`);
      }
      for (let rep = 0; rep < REPS; rep++) {
        const run = await resumeAndConnect(servers.stackUrl, links, writer, rep);
        resume.push(run.resume);
        connect.push(run.connect);
        log(`resume run ${rep + 1}: ${fixed(run.resume)} ms (fresh connection ${fixed(run.connect)} ms)`);
      }
    } finally {
      await writer.close();
    }

    const memory = await memoryPerSessionAndClient(servers);
    if (isDying()) return 130;

    const floodBase = median(flood.baseline);
    const floodStack = median(flood.stack);
    const mib = (bytes: number): string => fixed(bytes / 2 ** 20, 2);
    process.stdout.write(
      `\n## Nothing lost (${REPS} runs each, medians)\n\n` +
        table(
          ["Metric", "Baseline", "Full stack", "Stack/Base", "Target", "Result"],
          [
            [
              "Ctrl-C to prompt, `yes` flood + stalled client (ms)",
              fixed(floodBase),
              fixed(floodStack),
              `${fixed(floodStack / floodBase)}×`,
              "< 1000 ms",
              floodStack < 1000 ? "PASS" : "FAIL",
            ],
            [
              `${STREAM_MB} MB to a client beside a stalled one (s)`,
              `${fixed(median(stream.alone), 2)} (alone)`,
              fixed(median(stream.stalled), 2),
              `${fixed(median(stream.stalled) / median(stream.alone))}×`,
              "",
              "",
            ],
            [
              `Resume after missing ${MISSED_LINES.toLocaleString("en")} lines (ms)`,
              `${fixed(median(connect))} (connect)`,
              fixed(median(resume)),
              `${fixed(median(resume) / median(connect))}×`,
              "",
              "",
            ],
            ["Worker memory per session (MiB)", "", mib(memory.perSession), "", "", ""],
            ["Worker memory per client (MiB)", "", mib(memory.perClient), "", "", ""],
          ],
        ) +
        "\n\nBaseline for Ctrl-C: the raw relay (ws + node-pty) with the same stalled client. Baseline for a stalled client:\n" +
        "the same stream to the writer alone, interleaved. Baseline for resume: a fresh connection to the same session\n" +
        "(ticket, upgrade, hello, replay). Memory: resident memory of the workerd running the Worker and the rooms,\n" +
        `after ${MEMORY_SESSIONS} more sessions with one client each, then ${MEMORY_CLIENTS} more clients on one.\n`,
    );
    return 0;
  } finally {
    await servers?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    if (!isDying()) process.exit(code);
  },
  (error: unknown) => {
    console.error(`[bench:resilience] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
