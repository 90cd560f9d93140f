// The session's link to its sandbox PTY: every @daytonaio/sdk call lives here.
import { Daytona, DaytonaNotFoundError, type PtyHandle, type Sandbox } from "@daytonaio/sdk";
import { concatBytes } from "./bytes";
import {
  liveStart,
  MarkerScanner,
  recordedCommandLine,
  recordingMarker,
  type RecordingPlace,
  SandboxRecording,
} from "./sandbox-recording";

/** Id of the one PTY session each sandbox holds for Nightona. */
export const PTY_ID = "nightona";
/** Daytona closes a PTY socket on input messages over 64 KiB; stay well below. */
const INPUT_CHUNK_BYTES = 32 * 1024;
/** How long to wait for a sandbox to be created or started, in seconds. */
const SANDBOX_TIMEOUT_S = 120;
/** Minutes of inactivity before Daytona stops the sandbox (0 would never stop it). */
const AUTO_STOP_MINUTES = 30;
/** How long a re-attach waits for the live output that began while the recording was read, in milliseconds. */
const LIVE_SETTLE_MS = 250;
/**
 * Live output held while missed output is read back, in bytes; more means a flood runs on (a burst that ended, such
 * as a large `cat`, stays below), and the read-back skips to the present. As much as Daytona queues for a client.
 */
const MAX_HELD_BYTES = 8 * 1024 * 1024;
/** A read-back that has taken this long skips to the present, in milliseconds: the terminal must come back. */
const MAX_READ_BACK_MS = 10_000;

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
  /** Stream offset of the next byte the room expects: output after it that the room missed is read back. */
  resumeFrom: number;
  /** Where the running PTY's recording stands in the stream, when the room knows. */
  recording: RecordingPlace | null;
  /** How much missed output is read back; output before it is skipped (clients get a reset there). */
  readBack: ReadBackBounds;
  /**
   * Keys typed while the link was down, taken once a running PTY is attached and again while missed output is read
   * back: they go in at once, so a Ctrl-C stops a flood as soon as possible.
   */
  takeTypedInput(): Uint8Array[];
}

export interface ReadBackBounds {
  /** At most this much of a gap is read back, oldest byte first. */
  maxBytes: number;
  /**
   * Once keys were typed, or live output piled up while reading back (a flood runs on), the present matters more:
   * only this much (the log's size) is read back, and the rest skipped.
   */
  presentBytes: number;
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
  /** A new PTY's recording started; the room keeps this to read back what it misses later. */
  onRecording(place: RecordingPlace): void;
  /** Output before `offset` was missed and will not be read back (more than the log holds); the next bytes start there. */
  onSkip(offset: number): void;
  /** Called before each piece of missed output that is read back: resolves once the clients have room for it. */
  paceReadBack(): Promise<void>;
}

/** How the PTY was reached: `created` runs the command anew, `attached` joins one that was already running. */
export type PtyOrigin = "created" | "attached";

export class PtyLink {
  #closed = false;

  private constructor(
    private readonly daytona: Daytona,
    private readonly sandbox: Sandbox,
    private readonly handle: PtyHandle,
    private readonly events: PtyLinkEvents,
    readonly origin: PtyOrigin,
    /** An attached link read back everything the room missed: no redraw needed. */
    readonly caughtUp: boolean,
    /** The nonce of a created PTY's recording marker. */
    readonly recordingNonce: string | null,
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
      // Output goes to the room in stream order; while a re-attach reads back what the room missed, live output
      // waits in `held` and follows the read-back bytes.
      let next = config.resumeFrom;
      let held: Uint8Array[] | null = null;
      let scanner: { scanner: MarkerScanner; nonce: string } | null = null;
      const deliver = (data: Uint8Array): void => {
        try {
          events.onData(data);
        } catch (error) {
          console.error("pty.data", { session: config.sessionId, error: String(error) });
        }
        if (scanner) {
          const markerEnd = scanner.scanner.scan(next, data);
          if (scanner.scanner.gaveUp) scanner = null;
          else if (markerEnd !== null) {
            const nonce = scanner.nonce;
            scanner = null;
            void placeRecording(sandbox, nonce, markerEnd).then((place) => place && events.onRecording(place));
          }
        }
        next += data.byteLength;
      };
      const onData = (data: Uint8Array): void => {
        if (held) held.push(data);
        else deliver(data);
      };
      const existing = await ptyInfo(sandbox);
      let handle: PtyHandle;
      let origin: PtyOrigin;
      let caughtUp = false;
      let recordingNonce: string | null = null;
      if (existing?.active) {
        origin = "attached";
        if (config.recording) {
          held = [];
          const recording = new SandboxRecording(sandbox.process);
          const sizeBefore = await recording.size().catch(() => null);
          handle = await sandbox.process.connectPty(PTY_ID, { onData });
          const attached = handle;
          const sendTyped = async (): Promise<boolean> => {
            const typed = config.takeTypedInput();
            for (const data of typed) await sendInChunks(attached, data);
            return typed.length > 0;
          };
          const typed = await sendTyped();
          const skip = (offset: number): void => {
            events.onSkip(offset);
            next = offset;
          };
          const place = config.recording;
          const gap = { recording, place, sizeBefore, typed };
          const pace = (): Promise<void> => events.paceReadBack();
          caughtUp = await catchUp(gap, config, held, { deliver, skip, sendTyped, pace }).catch((error: unknown) => {
            console.warn("pty.catch_up", { session: config.sessionId, error: String(error) });
            return false;
          });
          for (const data of held) deliver(data);
          held = null;
        } else {
          handle = await sandbox.process.connectPty(PTY_ID, { onData });
        }
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
        if (config.command) {
          const nonce = (recordingNonce = crypto.randomUUID());
          scanner = { scanner: new MarkerScanner(recordingMarker(nonce)), nonce };
          await handle.sendInput(recordedCommandLine(config.command, nonce));
        }
      }
      const link = new PtyLink(daytona, sandbox, handle, events, origin, caughtUp, recordingNonce);
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

  /**
   * Stream bytes `from` to `to` as the PTY's recording holds them (`place` says where it sits in the stream); fewer
   * when the file is shorter. Rejects for bytes from before the recording began.
   */
  async readRecorded(place: RecordingPlace, from: number, to: number): Promise<Uint8Array> {
    if (place.start === undefined || from < place.start) throw new Error("the recording does not reach back that far");
    return new SandboxRecording(this.sandbox.process).read(from - place.base, to - place.base);
  }

  /** Gives back the disk space of what the PTY's recording holds before stream offset `before` (see RecordingTrim). */
  discardRecorded(place: RecordingPlace, before: number): Promise<void> {
    return new SandboxRecording(this.sandbox.process).discardBefore(before - place.base);
  }

  /** Writes bytes to the PTY in chunks Daytona accepts; order is kept. */
  sendInput(data: Uint8Array): Promise<void> {
    return sendInChunks(this.handle, data);
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

async function sendInChunks(handle: PtyHandle, data: Uint8Array): Promise<void> {
  for (let at = 0; at < data.byteLength; at += INPUT_CHUNK_BYTES) {
    await handle.sendInput(data.subarray(at, at + INPUT_CHUNK_BYTES));
  }
}

/**
 * Reads back the recording from `resumeFrom` to where the live output starts, and hands it on piece by piece, oldest
 * first, with a skip where it leaves bytes out. Returns false, having delivered nothing, when the recording does not
 * hold the gap or the live output matches no place in it.
 */
async function catchUp(
  gap: { recording: SandboxRecording; place: RecordingPlace; sizeBefore: number | null; typed: boolean },
  config: Pick<PtyLinkConfig, "resumeFrom" | "readBack">,
  held: Uint8Array[],
  output: { deliver(data: Uint8Array): void; skip(offset: number): void; sendTyped(): Promise<boolean>; pace(): Promise<void> },
): Promise<boolean> {
  const { recording, place, sizeBefore } = gap;
  // The file offset the room expects next; before the recording began when the room lost output from then
  // (restarted before its archive was written): what the recording holds starts after its marker.
  const resumeAt = config.resumeFrom - place.base;
  let missedFrom = resumeAt;
  if (missedFrom < 0) {
    // Places stored by older rooms do not say where the recording starts: the file's head does.
    const recordingStart = place.start !== undefined ? place.start - place.base : await recording.markerEnd(place.nonce);
    if (recordingStart === null) return false;
    missedFrom = recordingStart;
  }
  if (sizeBefore === null || missedFrom > sizeBefore) {
    console.warn("pty.catch_up", { reason: "the recording does not hold the gap", missedFrom, sizeBefore });
    return false;
  }
  // Where the live output begins in the file: at or after `sizeBefore`, where the file's bytes agree with it.
  const sizeAfter = await recording.size();
  const recent = await recording.read(sizeBefore, sizeAfter);
  const expected = sizeAfter - sizeBefore;
  const deadline = Date.now() + LIVE_SETTLE_MS;
  while (heldBytes(held) < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  const liveFrom = liveStart(recent, sizeBefore, sizeBefore, concatBytes(held).subarray(0, expected));
  if (liveFrom === null) {
    console.warn("pty.catch_up", { reason: "the live output matches no place in the recording", sizeBefore, sizeAfter, held: heldBytes(held) });
    return false;
  }

  const { maxBytes, presentBytes } = config.readBack;
  let at = Math.max(missedFrom, liveFrom - (gap.typed ? presentBytes : maxBytes));
  if (at > resumeAt) output.skip(at + place.base);
  const giveUpAt = Date.now() + MAX_READ_BACK_MS;
  const present = liveFrom - presentBytes;
  const readTo = Math.min(sizeBefore, liveFrom);
  while (at < readTo) {
    // Keys typed meanwhile, a flood that runs on, or a slow read-back: skip to the present, but for its last bytes.
    const late = Date.now() > giveUpAt || heldBytes(held) > MAX_HELD_BYTES;
    if (at < present && ((await output.sendTyped()) || late)) {
      output.skip(present + place.base);
      at = present;
      continue;
    }
    const piece = await recording.piece(at, readTo);
    if (piece.byteLength === 0) break; // the file is shorter than it was
    await output.pace();
    output.deliver(piece);
    at += piece.byteLength;
  }
  if (at < sizeBefore) {
    // The file ended early (it was replaced meanwhile?): say what is missing instead of splicing wrong bytes.
    console.warn("pty.catch_up", { reason: "the recording ended early", at, sizeBefore });
    output.skip(liveFrom + place.base);
    return true;
  }
  if (liveFrom > at) output.deliver(recent.subarray(at - sizeBefore, liveFrom - sizeBefore));
  return true;
}

/** Finds where the recording's file offsets sit in the stream, once its marker went by. */
async function placeRecording(sandbox: Sandbox, nonce: string, markerEnd: number): Promise<RecordingPlace | null> {
  try {
    const fileMarkerEnd = await new SandboxRecording(sandbox.process).markerEnd(nonce);
    return fileMarkerEnd === null ? null : { nonce, base: markerEnd - fileMarkerEnd, start: markerEnd };
  } catch (error) {
    console.warn("pty.recording", { error: String(error) });
    return null;
  }
}

function heldBytes(held: Uint8Array[]): number {
  return held.reduce((sum, data) => sum + data.byteLength, 0);
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
