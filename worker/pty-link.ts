// The session's link to its sandbox PTY: every @daytonaio/sdk call lives here.
import { Daytona, DaytonaNotFoundError, type PtyHandle, type Sandbox } from "@daytonaio/sdk";

/** Id of the one PTY session each sandbox holds for Nightona. */
export const PTY_ID = "nightona";
/** Daytona closes a PTY socket on input messages over 64 KiB; stay well below. */
const INPUT_CHUNK_BYTES = 32 * 1024;
/** How long to wait for a sandbox to be created or started, in seconds. */
const SANDBOX_TIMEOUT_S = 120;
/** Minutes of inactivity before Daytona stops the sandbox (0 would never stop it). */
const AUTO_STOP_MINUTES = 30;

export interface PtyLinkConfig {
  sessionId: string;
  apiUrl?: string;
  apiKey?: string;
  target?: string;
  snapshot?: string;
  /** Environment for a newly created PTY (Anthropic credentials, renderer settings). */
  envs: Record<string, string>;
  /** What the login shell execs in a newly created PTY; empty keeps the shell. */
  command: string;
  cols: number;
  rows: number;
  /** Start the sandbox when it is stopped (a person asked for the terminal); otherwise fail with SandboxStoppedError. */
  startStopped: boolean;
}

/** The sandbox is stopped and the caller did not ask to start it. */
export class SandboxStoppedError extends Error {
  constructor() {
    super("the sandbox is stopped");
    this.name = "SandboxStoppedError";
  }
}

export interface PtyLinkEvents {
  /** A step of finding, creating or starting the sandbox and PTY, for the user to watch. */
  onProgress(message: string): void;
  /** PTY output, in order. Must not throw and must return quickly (Daytona drops slow consumers). */
  onData(data: Uint8Array): void;
  /** The link ended: `exitCode` is set when the command exited, undefined when the connection was lost. */
  onClose(result: { exitCode?: number; reason?: string }): void;
}

/** How the PTY was reached: `created` runs the command anew, `attached` joins one that was already running. */
export type PtyOrigin = "created" | "attached";

export class PtyLink {
  #closed = false;

  private constructor(
    private readonly daytona: Daytona,
    private readonly handle: PtyHandle,
    private readonly events: PtyLinkEvents,
    readonly origin: PtyOrigin,
  ) {}

  /** Finds or creates the session's sandbox, starts it if stopped, then re-attaches to its PTY or creates one. */
  static async open(config: PtyLinkConfig, events: PtyLinkEvents): Promise<PtyLink> {
    const daytona = new Daytona({
      apiKey: config.apiKey || "local",
      apiUrl: config.apiUrl || undefined,
      target: config.target || undefined,
    });
    try {
      const sandbox = await ensureSandbox(daytona, config, events);
      events.onProgress("Opening terminal");
      const onData = (data: Uint8Array): void => {
        try {
          events.onData(data);
        } catch (error) {
          console.error("pty.data", { session: config.sessionId, error: String(error) });
        }
      };
      const existing = await ptyInfo(sandbox);
      let handle: PtyHandle;
      let origin: PtyOrigin;
      if (existing?.active) {
        handle = await sandbox.process.connectPty(PTY_ID, { onData });
        origin = "attached";
      } else {
        if (existing) await sandbox.process.killPtySession(PTY_ID).catch(() => undefined);
        handle = await sandbox.process.createPty({
          id: PTY_ID,
          cols: config.cols,
          rows: config.rows,
          envs: config.envs,
          onData,
        });
        origin = "created";
        // The login shell runs the command in its place; `clear` wipes the typed line, the leading space keeps it
        // out of the shell's history.
        if (config.command) await handle.sendInput(` clear && exec ${config.command}\r`);
      }
      const link = new PtyLink(daytona, handle, events, origin);
      void handle.wait().then(
        (result) => link.#finish({ exitCode: result.exitCode, reason: result.error }),
        (error: unknown) => link.#finish({ reason: String(error) }),
      );
      return link;
    } catch (error) {
      await dispose(daytona);
      throw error;
    }
  }

  get open(): boolean {
    return !this.#closed && this.handle.isConnected();
  }

  /** Writes bytes to the PTY in chunks Daytona accepts; order is kept. */
  async sendInput(data: Uint8Array): Promise<void> {
    for (let at = 0; at < data.byteLength; at += INPUT_CHUNK_BYTES) {
      await this.handle.sendInput(data.subarray(at, at + INPUT_CHUNK_BYTES));
    }
  }

  async resize(cols: number, rows: number): Promise<void> {
    await this.handle.resize(cols, rows);
  }

  /** Detaches from the PTY without killing it; the command keeps running in the sandbox. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.handle.disconnect();
    await dispose(this.daytona);
  }

  #finish(result: { exitCode?: number; reason?: string }): void {
    if (this.#closed) return; // detached on purpose: the command runs on, nothing to report
    this.#closed = true;
    void dispose(this.daytona);
    this.events.onClose(result);
  }
}

export function sandboxName(sessionId: string): string {
  return `nightona-${sessionId}`;
}

async function ensureSandbox(daytona: Daytona, config: PtyLinkConfig, events: PtyLinkEvents): Promise<Sandbox> {
  const name = sandboxName(config.sessionId);
  events.onProgress("Finding sandbox");
  let sandbox = await findSandbox(daytona, name);
  if (!sandbox) {
    events.onProgress("Creating sandbox");
    sandbox = await daytona.create(
      {
        name,
        labels: { app: "nightona", session: config.sessionId },
        autoStopInterval: AUTO_STOP_MINUTES,
        ...(config.snapshot ? { snapshot: config.snapshot } : {}),
      },
      { timeout: SANDBOX_TIMEOUT_S },
    );
  } else if (sandbox.state !== "started") {
    if (!config.startStopped) throw new SandboxStoppedError();
    events.onProgress("Starting sandbox");
    await sandbox.start(SANDBOX_TIMEOUT_S);
  }
  return sandbox;
}

async function findSandbox(daytona: Daytona, name: string): Promise<Sandbox | null> {
  try {
    return await daytona.get(name);
  } catch (error) {
    if (error instanceof DaytonaNotFoundError) return null;
    throw error;
  }
}

async function ptyInfo(sandbox: Sandbox): Promise<{ active: boolean } | null> {
  try {
    return await sandbox.process.getPtySessionInfo(PTY_ID);
  } catch (error) {
    if (error instanceof DaytonaNotFoundError) return null;
    throw error;
  }
}

async function dispose(daytona: Daytona): Promise<void> {
  try {
    await daytona[Symbol.asyncDispose]();
  } catch {
    // Nothing left to release.
  }
}
