// Sandbox lifecycle across the registry and the PTYs: create (folders, profile, Claude home), start, stop, delete, launch.
import type { IPty } from "node-pty";
import { prepareClaudeHome } from "./claude-home";
import type { PtySessionSpec } from "./pty-session";
import { PtySessions } from "./pty-sessions";
import { launchShell, sandboxEnv, writeShellProfile, type ShellOptions } from "./sandbox-shell";
import type { NewSandbox, SandboxRecord, SandboxRegistry } from "./sandboxes";

export class SandboxControl {
  readonly ptys = new PtySessions();
  /** Sandbox id → the tail of its home preparations; one at a time per home, since they rewrite the same files. */
  #homeQueues = new Map<string, Promise<unknown>>();

  constructor(
    readonly registry: SandboxRegistry,
    readonly shell: ShellOptions,
  ) {}

  /** Creates a started sandbox with its folders, shell profile and Claude config. */
  async create(params: NewSandbox): Promise<SandboxRecord> {
    const record = await this.registry.create(params);
    const paths = this.registry.paths(record.id);
    try {
      await writeShellProfile(paths.home);
      const env = this.baseEnv(record);
      await this.#inHomeQueue(record.id, () => prepareClaudeHome({ home: paths.home, workspace: paths.workspace, env }));
    } catch (error) {
      await this.registry.remove(record.id);
      throw error;
    }
    return record;
  }

  async start(record: SandboxRecord): Promise<SandboxRecord> {
    return this.registry.setState(record.id, "started");
  }

  /** Kills the sandbox's PTYs (their sockets drop abnormally), then records it stopped. */
  async stop(record: SandboxRecord): Promise<SandboxRecord> {
    // Stopped first, as Daytona reports "stopping" before its PTYs go: whoever the dropped sockets make look
    // again finds the sandbox stopped, not a started one about to lose its PTYs.
    const stopped = await this.registry.setState(record.id, "stopped");
    await this.ptys.abandon(record.id);
    return stopped;
  }

  async remove(record: SandboxRecord): Promise<void> {
    await this.ptys.abandon(record.id);
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
    await this.ptys.abandonAll();
    await this.registry.flush();
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
