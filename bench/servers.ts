// Child process of `npm run bench`: runs the servers (the baseline relay and the full stack: sandbox host + wrangler
// dev) apart from the benchmark's clients, as a browser is apart from its server. Talks to the parent over IPC:
// sends {type:"ready", baselineUrl, stackUrl} or {type:"failed", message}, and {type:"closed-socket"} whenever a
// server here drops a socket on purpose (e.g. the sandbox host's 1008 "slow consumer"); on {type:"close"}, on IPC disconnect
// (the parent died) or on SIGTERM/SIGINT it stops everything it started and exits. The stack runs from a snapshot
// of the tree (bench/snapshot.ts).
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { WebSocket } from "ws";
import { REPO_ROOT, type Stack } from "../scripts/stack";
import { type BaselineRelay, startBaselineRelay } from "./baseline-relay";
import { snapshotStack } from "./snapshot";

export type ServersMessage =
  | { type: "ready"; baselineUrl: string; stackUrl: string; pid: number }
  /** A server-side socket was closed with an error code (e.g. the sandbox host's 1008 "slow consumer"). */
  | { type: "closed-socket"; code: number; reason: string; unsentBytes: number }
  | { type: "failed"; message: string }
  | { type: "closed" };

const stateDir = process.argv[2];
const verbose = process.argv[3] === "--verbose";
if (!stateDir || !process.send) {
  console.error("usage: spawned by bench/run.ts with an IPC channel: servers.ts STATE_DIR");
  process.exit(2);
}

// Tell the parent when a server here (the sandbox host, the baseline relay) closes a socket on purpose with an error
// code: the sandbox host drops a PTY client that falls 8 MiB behind (1008 "slow consumer"), as Daytona does at 256
// messages; the benchmark reports it, since the room then loses its PTY.
{
  const close = WebSocket.prototype.close;
  const reported = new WeakSet<WebSocket>(); // a socket may be closed more than once; count it once
  WebSocket.prototype.close = function (this: WebSocket & { _isServer?: boolean }, code?: number, reason?: string | Buffer) {
    if (this._isServer && code !== undefined && code !== 1000 && code !== 1011 && process.connected && !reported.has(this)) {
      reported.add(this);
      const message: ServersMessage = { type: "closed-socket", code, reason: String(reason ?? ""), unsentBytes: this.bufferedAmount };
      process.send!(message);
    }
    return close.call(this, code, reason);
  } as WebSocket["close"];
}

let baseline: BaselineRelay | undefined;
let stack: Stack | undefined;
let stopping: Promise<void> | null = null;

function stop(): Promise<void> {
  stopping ??= (async () => {
    await Promise.allSettled([stack?.close(), baseline?.close()]);
    if (process.connected) process.send!({ type: "closed" } satisfies ServersMessage);
    process.exit(0);
  })();
  return stopping;
}

process.on("message", (message: { type?: string }) => {
  if (message?.type === "close") void stop();
});
process.on("disconnect", () => void stop());
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
// A crash here must not leave wrangler (its own process group) running.
process.on("uncaughtException", (error) => {
  console.error(error);
  void stop();
});
process.on("unhandledRejection", (reason) => {
  console.error(reason);
  void stop();
});

try {
  baseline = await startBaselineRelay({ workDir: join(stateDir, "baseline") });
  // The stack runs from a copy of the tree, so concurrent edits cannot trigger a wrangler reload mid-run.
  const snapshot = await snapshotStack(REPO_ROOT, join(stateDir, "tree"));
  const { startStack } = (await import(pathToFileURL(join(snapshot, "scripts/stack.ts")).href)) as typeof import("../scripts/stack");
  // Force the embedded sandbox host even if the caller's env names a Daytona account.
  stack = await startStack({
    stateDir: join(stateDir, "stack"),
    vars: { DAYTONA_API_KEY: "", DEFAULT_COMMAND: "bash" },
    devServers: false, // the relay alone: no app dev server per sandbox
    verbose,
  });
  process.send({ type: "ready", baselineUrl: baseline.url, stackUrl: stack.url, pid: process.pid } satisfies ServersMessage);
} catch (error) {
  process.send({ type: "failed", message: error instanceof Error ? error.message : String(error) } satisfies ServersMessage);
  await stop();
}
