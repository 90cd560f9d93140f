// `npm start`: builds the web app, starts the local stack and prints the URL to open.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureDevSigningKey, freePort, REPO_ROOT, startStack } from "./stack";
import { stopOnSignals } from "./stop-on-signals";

const PREFERRED_PORT = 8787;

async function main(): Promise<void> {
  const build = spawnSync(process.execPath, [join(REPO_ROOT, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], {
    cwd: REPO_ROOT,
    stdio: "inherit",
  });
  if (build.status !== 0) process.exit(build.status ?? 1);

  await ensureDevSigningKey();
  const port = Number(process.env.PORT) || ((await isFree(PREFERRED_PORT)) ? PREFERRED_PORT : await freePort());
  const stack = await startStack({ port, stateDir: join(REPO_ROOT, ".nightona"), verbose: process.env.VERBOSE === "1" });
  const daytona = stack.sandboxHost ? `local sandbox host at ${stack.sandboxHost.url}` : "Daytona";
  console.log(`\nNightona is running: open ${stack.url}\n(sandboxes: ${daytona}; press Ctrl-C to stop)\n`);

  stopOnSignals(() => stack.close());
}

async function isFree(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) });
    await response.body?.cancel();
    return false;
  } catch {
    return true;
  }
}

await main();
