// Last-resort cleanup: a crash (uncaught exception, unhandled rejection) or a signal must not leave wrangler, workerd or
// PTYs behind (wrangler runs in a process group of its own, so it would outlive this process).
const cleanups: Array<() => Promise<unknown>> = [];
let exiting = false;

/** Runs `cleanup` (and every other one registered) before the process dies of a crash or a signal. */
export function onFatal(cleanup: () => Promise<unknown>): void {
  cleanups.push(cleanup);
}

/** True once a crash or signal has started the cleanup; the normal path should then leave the exit to it. */
export function isDying(): boolean {
  return exiting;
}

function die(code: number, why: string): void {
  if (exiting) return;
  exiting = true;
  console.error(`[bench] ${why}; cleaning up…`);
  const timer = setTimeout(() => process.exit(code), 30_000);
  timer.unref();
  void Promise.allSettled(cleanups.map((cleanup) => cleanup())).then(() => process.exit(code));
}

process.on("uncaughtException", (error) => die(1, `uncaught exception: ${error.stack ?? error.message}`));
process.on("unhandledRejection", (reason) => die(1, `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
// `on`, not `once`: a Ctrl-C reaches this process twice (from the terminal and relayed by tsx); a second default
// handler would kill it mid-cleanup.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => die(130, signal));
