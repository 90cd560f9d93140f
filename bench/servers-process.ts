// The benchmark's servers (the baseline relay and the full stack) in a child process, apart from the clients, as a
// browser is apart from its server; see bench/servers.ts for the child's side.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../scripts/stack";
import type { ServersMessage } from "./servers";
import { withTimeout } from "./terminal";

const SERVERS_READY_TIMEOUT_MS = 150_000;

export interface Servers {
  baselineUrl: string;
  stackUrl: string;
  pid: number;
  /** Sockets the servers closed with an error code, as "1008 slow consumer (8.0 MiB unsent)". */
  closedSockets: string[];
  stop(): Promise<void>;
}

export async function startServers(stateDir: string, verbose = false): Promise<Servers> {
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "bench/servers.ts"), stateDir, ...(verbose ? ["--verbose"] : [])], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // --verbose: wrangler's and the servers' output go to stderr as they come.
  if (verbose) {
    child.stdout?.pipe(process.stderr);
    child.stderr?.pipe(process.stderr);
  }
  const stop = (): Promise<void> => stopServers(child);
  const closedSockets: string[] = [];
  child.on("message", (message: ServersMessage) => {
    if (message.type === "closed-socket") {
      closedSockets.push(`${message.code} ${message.reason} (${(message.unsentBytes / 2 ** 20).toFixed(1)} MiB unsent)`);
    }
  });
  try {
    const ready = await withTimeout(
      new Promise<Extract<ServersMessage, { type: "ready" }>>((done, fail) => {
        child.on("message", (message: ServersMessage) => {
          if (message.type === "ready") done(message);
          else if (message.type === "failed") fail(new Error(`servers failed to start: ${message.message}`));
        });
        child.once("exit", (code, signal) => fail(new Error(`servers exited (${code ?? signal}) before ready:\n${output.slice(-4000)}`)));
      }),
      SERVERS_READY_TIMEOUT_MS,
      "starting the baseline relay and the stack",
    );
    return { baselineUrl: ready.baselineUrl, stackUrl: ready.stackUrl, pid: ready.pid, closedSockets, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function stopServers(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  if (child.connected) child.send({ type: "close" });
  else child.kill("SIGTERM");
  // The child stops wrangler (its own process group) and the PTYs; give it time, then insist.
  const term = setTimeout(() => child.kill("SIGTERM"), 20_000);
  const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(term);
  clearTimeout(kill);
}

