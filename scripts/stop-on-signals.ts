// How a long-running command (`npm start`) stops: once, on Ctrl-C or SIGTERM, however many signals arrive meanwhile.

/**
 * Runs `close` on the first SIGINT or SIGTERM, then exits. Ctrl-C signals every process of the terminal's group and
 * tsx passes it on as well, so the process gets SIGINT twice: a later signal must not cut the cleanup short (the
 * default action would exit at once and leave the sandboxes' shells, Claude and the dev servers running).
 */
export function stopOnSignals(close: () => Promise<void>): void {
  let stopping: Promise<void> | null = null;
  const stop = (): void => {
    stopping ??= close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
