// Sandbox lifecycle across the registry, the PTYs and the app dev servers: create (folders, starter app, profile, Claude
// home), start, stop, delete, launch.
import type { IPty } from "node-pty";
import { PREVIEW_PORT } from "../snapshot/preview";
import { prepareClaudeHome } from "./claude-home";
import { DevServers } from "./dev-servers";
import { previewPath } from "./preview-proxy";
import type { PtySessionSpec } from "./pty-session";
import { PtySessions } from "./pty-sessions";
import { launchShell, sandboxEnv, writeShellProfile, type ShellOptions } from "./sandbox-shell";
import type { NewSandbox, SandboxRecord, SandboxRegistry } from "./sandboxes";
import { seedWorkspace } from "./template-app";

export class SandboxControl {
  readonly ptys = new PtySessions();
  readonly devServers = new DevServers();
  /** Sandbox id → the tail of its home preparations; one at a time per home, since they rewrite the same files. */
  #homeQueues = new Map<string, Promise<unknown>>();

  constructor(
    readonly registry: SandboxRegistry,
    readonly shell: ShellOptions,
    /** Whether started sandboxes run their app's dev server (the preview); off for suites that never look. */
    readonly runDevServers = true,
  ) {}

  /** Creates a started sandbox with its folders, the starter app, shell profile and Claude config. */
  async create(params: NewSandbox): Promise<SandboxRecord> {
    const record = await this.registry.create(params);
    const paths = this.registry.paths(record.id);
    try {
      await seedWorkspace(paths.workspace);
      await writeShellProfile(paths.home);
      const env = this.baseEnv(record);
      await this.#inHomeQueue(record.id, () => prepareClaudeHome({ home: paths.home, workspace: paths.workspace, env }));
    } catch (error) {
      await this.registry.remove(record.id);
      throw error;
    }
    await this.#startDevServer(record);
    return record;
  }

  async start(record: SandboxRecord): Promise<SandboxRecord> {
    const started = await this.registry.setState(record.id, "started");
    await this.#startDevServer(started);
    return started;
  }

  /** Kills the sandbox's PTYs (their sockets drop abnormally), then records it stopped. */
  async stop(record: SandboxRecord): Promise<SandboxRecord> {
    // Stopped first, as Daytona reports "stopping" before its PTYs go: whoever the dropped sockets make look
    // again finds the sandbox stopped, not a started one about to lose its PTYs.
    const stopped = await this.registry.setState(record.id, "stopped");
    await Promise.all([this.ptys.abandon(record.id), this.devServers.stop(record.id)]);
    return stopped;
  }

  async remove(record: SandboxRecord): Promise<void> {
    await Promise.all([this.ptys.abandon(record.id), this.devServers.stop(record.id)]);
    await this.registry.remove(record.id);
  }

  /** The env every PTY of the sandbox starts from. */
  baseEnv(record: SandboxRecord): Record<string, string> {
    return sandboxEnv(this.shell, this.registry.paths(record.id).home, record.env);
  }

  /** Starts a PTY session's shell in the sandbox. */
  launch(record: SandboxRecord, spec: PtySessionSpec): Promise<IPty> {
    const paths = this.registry.paths(record.id);
    const base = this.baseEnv(record);
    return this.#inHomeQueue(record.id, () => launchShell(this.shell, paths, base, spec));
  }

  async close(): Promise<void> {
    await Promise.all([this.ptys.abandonAll(), this.devServers.stopAll()]);
    await this.registry.flush();
  }

  /** Runs the workspace app's dev server, as the snapshot's entrypoint does on every start of a Daytona sandbox. */
  async #startDevServer(record: SandboxRecord): Promise<void> {
    if (!this.runDevServers) return;
    await this.devServers.start(record.id, {
      cwd: this.registry.paths(record.id).workspace,
      base: previewPath(record.id, PREVIEW_PORT),
      env: this.baseEnv(record),
    });
  }

  #inHomeQueue<T>(sandboxId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#homeQueues.get(sandboxId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.#homeQueues.set(sandboxId, tail);
    void tail.then(() => {
      if (this.#homeQueues.get(sandboxId) === tail) this.#homeQueues.delete(sandboxId);
    });
    return next;
  }
}
