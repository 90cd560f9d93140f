// Starts the whole product on this machine: the local sandbox host plus the Worker under `wrangler dev`.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { appendFile, chmod, mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readProcessTable } from "../sandbox-host/process-table";
import { type SandboxHost, startSandboxHost } from "../sandbox-host/server";

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), "../..");
const WRANGLER = join(REPO_ROOT, "node_modules/wrangler/bin/wrangler.js");
/** How many times to pick fresh ports when another process took the chosen one first. */
const PORT_ATTEMPTS = 3;
/** How long `wrangler dev` may take to answer its first request, in milliseconds. */
const WORKER_READY_TIMEOUT_MS = 90_000;
/** Worker variables a caller's environment may set; they reach the Worker only, never a browser. */
const FORWARDED_VARS = [
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_AUTH_TOKEN",
  "ANTHROPIC_BASE_URL",
  "ANTHROPIC_MODEL",
  "DAYTONA_API_KEY",
  "DAYTONA_API_URL",
  "DAYTONA_TARGET",
  "DAYTONA_SNAPSHOT",
  "DEFAULT_COMMAND",
  "LINK_SIGNING_KEY",
  "OUTPUT_LOG_BYTES",
  "IDLE_DETACH_SECONDS",
] as const;

export interface StackOptions {
  /** Port for the Worker; 0 or absent picks a free one. */
  port?: number;
  /** Folder for the stack's state: sandboxes, Durable Object storage, generated variables. */
  stateDir: string;
  /** Worker variables (e.g. Anthropic credentials); absent ones are taken from `process.env`. */
  vars?: Partial<Record<(typeof FORWARDED_VARS)[number], string>>;
  /** Print wrangler's output (the product does; tests keep it for failures). */
  verbose?: boolean;
  /** Run each local sandbox's app dev server for its preview (default true; the benchmark measures the relay alone). */
  devServers?: boolean;
}

export interface Stack {
  /** The page and API, e.g. http://127.0.0.1:8787 */
  url: string;
  /** The embedded sandbox host, absent when the stack talks to Daytona. */
  sandboxHost?: SandboxHost;
  /** wrangler's output so far, for diagnosing a failed test. */
  log(): string;
  /** Kills `wrangler dev` and workerd at once (as a crash would) and starts them again on the same port and state. */
  restartWorker(): Promise<void>;
  /** Process ids of wrangler and workerd, to measure their memory. */
  workerPids(): number[];
  close(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const stateDir = resolve(options.stateDir);
  await mkdir(stateDir, { recursive: true });
  const vars: Record<string, string> = {};
  for (const name of FORWARDED_VARS) {
    const value = options.vars?.[name] ?? process.env[name];
    if (value) vars[name] = value;
  }

  // Without a Daytona key, the embedded sandbox host stands in for Daytona's API.
  let sandboxHost: SandboxHost | undefined;
  if (!vars.DAYTONA_API_KEY) {
    sandboxHost = await startSandboxHost({
      port: 0,
      dataDir: join(stateDir, "sandboxes"),
      extraPath: [join(REPO_ROOT, "node_modules/.bin")],
      devServers: options.devServers,
    });
    vars.DAYTONA_API_URL = sandboxHost.apiUrl;
  }

  // Links are signed; without a key from the caller or .dev.vars, this stack signs with a key of its own.
  if (!vars.LINK_SIGNING_KEY && !devVarsHave("LINK_SIGNING_KEY")) vars.LINK_SIGNING_KEY = newSigningKey();

  const envFile = join(stateDir, "worker.env");
  await writeFile(envFile, formatEnvFile(vars), { mode: 0o600 });
  await chmod(envFile, 0o600);
  const envFiles = [DEV_VARS, envFile].filter((file) => existsSync(file));

  // A free port can be taken by another process before wrangler binds it; pick new ones and try again.
  for (let attempt = 1; ; attempt++) {
    const port = options.port || (await freePort());
    const worker = startWrangler({ port, inspectorPort: await freePort(), stateDir, envFiles, verbose: options.verbose });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForWorker(url, worker.child, worker.log);
      let current = worker;
      const launch = { port, stateDir, envFiles, verbose: options.verbose };
      return {
        url,
        sandboxHost,
        log: () => current.log(),
        restartWorker: async () => {
          await stopProcessGroup(current.child, "SIGKILL");
          current = startWrangler({ ...launch, inspectorPort: await freePort() });
          await waitForWorker(url, current.child, current.log);
        },
        workerPids: () => processGroup(current.child),
        close: async () => {
          await stopProcessGroup(current.child);
          await sandboxHost?.close();
        },
      };
    } catch (error) {
      await stopProcessGroup(worker.child);
      const portTaken = /EADDRINUSE|Address already in use/.test(worker.log());
      if (!portTaken || options.port || attempt >= PORT_ATTEMPTS) {
        await sandboxHost?.close();
        throw error;
      }
    }
  }
}

/**
 * The environment `wrangler dev` runs in. Its local observability (on by default) records a trace span for every
 * invocation in SQLite and syncs it to disk before the next event, on the thread that runs the Durable Object:
 * with hibernating sockets every keystroke and every ack is an invocation, so it added about 1 ms to each echo.
 */
export function wranglerEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    X_LOCAL_OBSERVABILITY: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_SEND_METRICS: "false",
    NO_COLOR: "1",
  };
}

interface WranglerOptions {
  port: number;
  inspectorPort: number;
  stateDir: string;
  envFiles: string[];
  verbose?: boolean;
}

function startWrangler(options: WranglerOptions): { child: ChildProcess; log: () => string } {
  const child = spawn(
    process.execPath,
    [
      WRANGLER,
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(options.port),
      "--inspector-port",
      String(options.inspectorPort),
      "--persist-to",
      join(options.stateDir, "wrangler"),
      "--show-interactive-dev-session=false",
      ...options.envFiles.flatMap((file) => ["--env-file", file]),
    ],
    {
      cwd: REPO_ROOT,
      detached: true, // its own process group, so close() also stops workerd
      stdio: ["ignore", "pipe", "pipe"],
      env: wranglerEnv(),
    },
  );
  let output = "";
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    if (options.verbose) process.stdout.write(chunk);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  return { child, log: () => output };
}

const DEV_VARS = join(REPO_ROOT, ".dev.vars");

function devVarsHave(name: string): boolean {
  return existsSync(DEV_VARS) && new RegExp(`^${name}=`, "m").test(readFileSync(DEV_VARS, "utf8"));
}

function newSigningKey(): string {
  return randomBytes(32).toString("base64url");
}

/** Gives the local Worker a link-signing key that survives restarts (links keep working), kept in .dev.vars. */
export async function ensureDevSigningKey(): Promise<void> {
  if (process.env.LINK_SIGNING_KEY || devVarsHave("LINK_SIGNING_KEY")) return;
  const separator = existsSync(DEV_VARS) && !readFileSync(DEV_VARS, "utf8").endsWith("\n") ? "\n" : "";
  await appendFile(DEV_VARS, `${separator}LINK_SIGNING_KEY=${newSigningKey()}\n`, { mode: 0o600 });
}

function formatEnvFile(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}\n`)
    .join("");
}

async function waitForWorker(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + WORKER_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/api/sessions/ready-check`);
      if (response.headers.get("content-type")?.includes("application/json")) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`wrangler dev did not answer within ${WORKER_READY_TIMEOUT_MS} ms:\n${log()}`);
}

/** Stops a detached child and everything it started (its process group): SIGTERM, then SIGKILL after 5 s. */
export async function stopProcessGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  try {
    process.kill(-child.pid, signal);
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/** The ids of the processes in a detached child's process group. */
function processGroup(child: ChildProcess): number[] {
  if (child.pid === undefined) return [];
  return readProcessTable()
    .filter((entry) => entry.pgrp === child.pid)
    .map((entry) => entry.pid);
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
