// Each started sandbox's app dev server: Nightona's own Vite run against the workspace, on a free port of this machine.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

/** The Vite binary this repository pins; the template app needs nothing else installed. */
const VITE_BIN = join(dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin/vite.js");
/** Pause before restarting a dev server that exited (as the snapshot's entrypoint loop does), in ms. */
const RESTART_DELAY_MS = 1000;
/** How long `stop` waits for a dev server to exit after SIGTERM before it SIGKILLs it, in ms. */
const STOP_TIMEOUT_MS = 3000;
/** Output kept per dev server for diagnosing one that will not start, in characters. */
const KEPT_LOG_CHARS = 8 * 1024;

export interface DevServerSpec {
  /** The app's folder. */
  cwd: string;
  /** Path prefix the app is served under: its preview route on the sandbox host. */
  base: string;
  env: Record<string, string>;
}

interface Running {
  spec: DevServerSpec;
  port: number;
  child: ChildProcess | null;
  log: string;
  stopped: boolean;
  restart?: ReturnType<typeof setTimeout>;
}

export class DevServers {
  /** sandbox id → its dev server */
  #servers = new Map<string, Running>();

  /** Starts the sandbox's dev server unless it runs; it is restarted whenever it exits until `stop`. */
  async start(sandboxId: string, spec: DevServerSpec): Promise<void> {
    if (this.#servers.has(sandboxId)) return;
    const server: Running = { spec, port: 0, child: null, log: "", stopped: false };
    this.#servers.set(sandboxId, server);
    await this.#launch(server);
  }

  /** The port the sandbox's dev server was told to listen on; undefined when none runs. */
  port(sandboxId: string): number | undefined {
    const server = this.#servers.get(sandboxId);
    return server?.child ? server.port : undefined;
  }

  /** The dev server's recent output, for error pages. */
  log(sandboxId: string): string {
    return this.#servers.get(sandboxId)?.log ?? "";
  }

  async stop(sandboxId: string): Promise<void> {
    const server = this.#servers.get(sandboxId);
    if (!server) return;
    this.#servers.delete(sandboxId);
    server.stopped = true;
    clearTimeout(server.restart);
    await terminate(server.child);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#servers.keys()].map((id) => this.stop(id)));
  }

  async #launch(server: Running): Promise<void> {
    server.port = await freePort();
    if (server.stopped) return;
    const child = spawn(
      process.execPath,
      [VITE_BIN, "--host", "127.0.0.1", "--port", String(server.port), "--strictPort", "--base", server.spec.base, "--clearScreen", "false"],
      { cwd: server.spec.cwd, env: server.spec.env, stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    server.child = child;
    const keep = (chunk: Buffer): void => {
      server.log = (server.log + chunk.toString()).slice(-KEPT_LOG_CHARS);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.once("error", (error) => keep(Buffer.from(`${String(error)}\n`)));
    child.once("exit", () => {
      if (server.child === child) server.child = null;
      if (server.stopped) return;
      server.restart = setTimeout(() => void this.#launch(server), RESTART_DELAY_MS);
    });
  }
}

/** SIGTERMs the dev server's process group, then SIGKILLs it if it lingers. */
async function terminate(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}
