// One PTY session: its process, the sockets attached to it, output broadcast, input, resize, kill and exit framing.
import type { IPty } from "node-pty";
import { descendantsOf } from "./process-table";
import { WebSocket, type RawData } from "ws";
import {
  CloseCode,
  PTY_UNAVAILABLE_REASON,
  SLOW_CONSUMER_REASON,
  connectedFrame,
  exitClose,
  exitCodeOf,
  exitedFrame,
} from "./pty-protocol";

/**
 * A socket whose unsent bytes exceed this is dropped with 1008 "slow consumer", in bytes.
 * The daemon drops a client at 256 queued messages of at most 32 KiB each.
 */
export const SLOW_CONSUMER_MAX_BUFFERED_BYTES = 256 * 32 * 1024;
/** Exit code reported when a session is killed (128 + SIGKILL). */
export const KILLED_EXIT_CODE = 137;
/** Largest output frame, as Daytona's daemon reads at most this much at a time, in bytes. */
const OUTPUT_FRAME_BYTES = 32 * 1024;
/** While output streams, pieces arriving within this window share a frame, in milliseconds. */
const OUTPUT_BATCH_MS = 2;

/** Session info as `GET /process/pty/{id}` returns it (the toolbox client's `PtySessionInfo`). */
export interface PtySessionInfo {
  id: string;
  active: boolean;
  cols: number;
  rows: number;
  cwd: string;
  envs: Record<string, string>;
  /** ISO 8601 time of creation. */
  createdAt: string;
  lazyStart: boolean;
}

export interface PtySessionSpec {
  id: string;
  /** Absolute working directory of the shell. */
  cwd: string;
  /** Env vars the client asked for, reported back in the session info. */
  envs: Record<string, string>;
  cols: number;
  rows: number;
  /** Start the process on the first connect instead of at creation. */
  lazyStart: boolean;
}

/** Starts the session's process: prepares the sandbox home and spawns the shell on a PTY of the given size. */
export type PtyLauncher = (spec: PtySessionSpec) => Promise<IPty>;

interface Client {
  ws: WebSocket;
  /** The client offered Exit-Control and gets the `exited` frame before the close. */
  exitControl: boolean;
}

type Phase = "idle" | "starting" | "running" | "ended";

export class PtySession {
  readonly createdAt = new Date().toISOString();
  #cols: number;
  #rows: number;
  #phase: Phase = "idle";
  #pty: IPty | null = null;
  #started: Promise<void> | null = null;
  #clients = new Set<Client>();
  #pendingOutput: Buffer[] = [];
  #pendingBytes = 0;
  #flushTimer: NodeJS.Timeout | undefined;
  #lastFrameAt = 0;
  #resolveEnded!: () => void;
  /** Settles once the process is gone (or never started) and every socket has been closed. */
  readonly ended: Promise<void> = new Promise((resolve) => (this.#resolveEnded = resolve));

  constructor(
    readonly spec: PtySessionSpec,
    /** Called once when the process exits on its own, so the owner can forget the session. */
    private readonly onExit: (session: PtySession) => void,
  ) {
    this.#cols = spec.cols;
    this.#rows = spec.rows;
  }

  get id(): string {
    return this.spec.id;
  }

  /** True while the process runs. */
  get active(): boolean {
    return this.#phase === "running";
  }

  get isEnded(): boolean {
    return this.#phase === "ended";
  }

  info(): PtySessionInfo {
    return {
      id: this.spec.id,
      active: this.active,
      cols: this.#cols,
      rows: this.#rows,
      cwd: this.spec.cwd,
      envs: { ...this.spec.envs },
      createdAt: this.createdAt,
      lazyStart: this.spec.lazyStart,
    };
  }

  /** Starts the process once; later calls return the same promise. Rejects when the launch fails. */
  start(launch: PtyLauncher): Promise<void> {
    this.#started ??= this.#launch(launch);
    return this.#started;
  }

  async #launch(launch: PtyLauncher): Promise<void> {
    if (this.#phase !== "idle") throw new Error(`PTY session ${this.id} has ended`);
    this.#phase = "starting";
    let pty: IPty;
    try {
      pty = await launch({ ...this.spec, cols: this.#cols, rows: this.#rows });
    } catch (error) {
      this.#end();
      throw error;
    }
    if (this.#phase !== "starting") {
      // Killed or abandoned while the launch was in flight.
      killProcessTree(pty);
      throw new Error(`PTY session ${this.id} was closed while starting`);
    }
    this.#pty = pty;
    this.#phase = "running";
    pty.onData((data: string | Buffer) => this.#queueOutput(typeof data === "string" ? Buffer.from(data) : data));
    pty.onExit((exit) => this.#exited(exitCodeOf(exit)));
  }

  /** Attaches a socket: sends `connected`, then live output only (no backlog), and takes its input. */
  attach(ws: WebSocket, exitControl: boolean): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    const client: Client = { ws, exitControl };
    this.#clients.add(client);
    ws.on("message", (data: RawData) => this.#input(client, data));
    ws.on("close", () => this.#clients.delete(client));
    ws.on("error", () => this.#clients.delete(client));
    sendSafely(client, connectedFrame());
  }

  resize(cols: number, rows: number): void {
    this.#cols = cols;
    this.#rows = rows;
    if (this.#phase === "running") this.#pty?.resize(cols, rows);
  }

  /** Kills the process; attached clients get exit 137 "SIGKILL" once its last output is out. */
  kill(): void {
    if (this.#phase === "running" && this.#pty) {
      killProcessTree(this.#pty);
      return;
    }
    if (this.#phase === "ended") return;
    // Never started (lazy) or still starting: nothing to wait for.
    this.#closeClientsWithExit(KILLED_EXIT_CODE);
    this.#end();
  }

  /** Tears the session down as a sandbox stop does: sockets drop without a close frame, the process is killed. */
  abandon(): void {
    for (const client of this.#clients) client.ws.terminate();
    this.#clients.clear();
    const pty = this.#pty;
    if (this.#phase === "running" && pty) {
      this.#phase = "ended";
      killProcessTree(pty);
      pty.onExit(() => this.#resolveEnded());
      return;
    }
    this.#end();
  }

  /**
   * Daytona's daemon sends each read of up to 32 KiB as one frame; node-pty hands over ~4 KiB pieces. While output
   * streams, pieces that arrive within a short window are joined into one frame (fewer frames for every consumer);
   * after a quiet spell the first piece leaves at once, so a keystroke's echo is not held back.
   */
  #queueOutput(data: Buffer): void {
    this.#pendingOutput.push(data);
    this.#pendingBytes += data.byteLength;
    if (this.#pendingBytes >= OUTPUT_FRAME_BYTES) return this.#flushOutput();
    if (this.#flushTimer) return;
    const sinceLastFrame = performance.now() - this.#lastFrameAt;
    if (sinceLastFrame >= OUTPUT_BATCH_MS) return this.#flushOutput();
    this.#flushTimer = setTimeout(() => this.#flushOutput(), OUTPUT_BATCH_MS - sinceLastFrame);
  }

  #flushOutput(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#pendingBytes === 0) return;
    const frame = this.#pendingOutput.length === 1 ? this.#pendingOutput[0]! : Buffer.concat(this.#pendingOutput, this.#pendingBytes);
    this.#pendingOutput = [];
    this.#pendingBytes = 0;
    this.#lastFrameAt = performance.now();
    this.#broadcast(frame);
  }

  #broadcast(data: Buffer): void {
    for (const client of this.#clients) {
      if (client.ws.readyState !== WebSocket.OPEN) {
        this.#clients.delete(client);
        continue;
      }
      sendSafely(client, data);
      if (client.ws.bufferedAmount > SLOW_CONSUMER_MAX_BUFFERED_BYTES) {
        this.#clients.delete(client);
        // The close frame queues behind the unsent output; ws destroys the socket if the peer never answers it.
        client.ws.close(CloseCode.policyViolation, SLOW_CONSUMER_REASON);
      }
    }
  }

  #input(client: Client, data: RawData): void {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (this.#phase !== "running" || !this.#pty) {
      client.ws.close(CloseCode.internalError, PTY_UNAVAILABLE_REASON);
      return;
    }
    try {
      this.#pty.write(bytes);
    } catch {
      client.ws.close(CloseCode.internalError, PTY_UNAVAILABLE_REASON);
    }
  }

  #exited(exitCode: number): void {
    if (this.#phase === "ended") return; // abandoned: its sockets are already gone
    this.#closeClientsWithExit(exitCode);
    this.#end();
    this.onExit(this);
  }

  #closeClientsWithExit(exitCode: number): void {
    this.#flushOutput(); // the last output goes out before the exit
    const close = exitClose(exitCode);
    for (const client of this.#clients) {
      if (client.exitControl) sendSafely(client, exitedFrame(exitCode));
      try {
        client.ws.close(close.code, close.reason);
      } catch {
        client.ws.terminate();
      }
    }
    this.#clients.clear();
  }

  #end(): void {
    this.#phase = "ended";
    this.#pty = null;
    this.#resolveEnded();
  }
}

/** Sends on one socket; a failure closes only that socket. */
function sendSafely(client: Client, data: string | Buffer): void {
  try {
    client.ws.send(data, { binary: typeof data !== "string" }, (error) => {
      if (error) client.ws.terminate();
    });
  } catch {
    client.ws.terminate();
  }
}

/**
 * SIGKILLs the shell, its process group, and every process below it: the command may run in a session of its own
 * (`script` puts it on a PTY of its own), which a hang-up would only ask to leave, in its own time.
 */
export function killProcessTree(pty: IPty): void {
  const below = descendantsOf(pty.pid); // found before the kill, while the parent links still hold
  try {
    process.kill(-pty.pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
  for (const pid of [pty.pid, ...below]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
