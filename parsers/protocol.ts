// Wire protocol v1 between browsers and the SessionRoom: frame tags, offsets, messages, limits, error codes.
// This is the only module that reads or writes frame bytes; docs/protocol.md describes it.
import type { StateEvent, ToolEvent } from "./claude-tui/events";

export type { ClaudeState, MenuOption, StateEvent, ToolEvent, ToolRecord, ToolStatus } from "./claude-tui/events";

export const PROTOCOL_VERSION = 1;

/** Tag byte at the start of every binary frame. */
export const FrameTag = {
  /** server → client: [tag][u64 LE offset of the first payload byte][raw PTY bytes] */
  output: 0x01,
  /** client → server: [tag][raw bytes for the PTY: keys, paste, 0x03 Ctrl-C, 0x1b Esc] */
  input: 0x02,
} as const;

const OUTPUT_HEADER_BYTES = 9;

/** Limits both ends agree on. */
export const Limits = {
  /** Largest binary frame a client may send (a big paste); larger ones close the socket with 4413. */
  maxInputFrameBytes: 1024 * 1024,
  /** Largest JSON (text) frame a client may send. */
  maxTextFrameBytes: 4096,
  /** Terminal size bounds; Daytona accepts 1..1000 for both. */
  minCols: 2,
  maxCols: 1000,
  minRows: 1,
  maxRows: 1000,
  /** Longest display name a client may choose. */
  maxNameLength: 40,
  /**
   * Output the room sends a client beyond its last `ack`. A client that falls further behind gets nothing more
   * until it acknowledges; then it resumes where it was, or with a `reset` if the log moved past that point.
   */
  maxUnackedBytes: 4 * 1024 * 1024,
  /** Clients acknowledge at least every this many bytes of output. */
  ackEveryBytes: 256 * 1024,
} as const;

/** One registry of error codes: the `error` frame's `code`, its HTTP status, and the close code when fatal. */
export const ErrorCodes = {
  bad_request: { status: 400, close: 4400 },
  unauthorized: { status: 401, close: 4401 },
  forbidden: { status: 403, close: 4403 },
  not_found: { status: 404, close: 4404 },
  too_large: { status: 413, close: 4413 },
  read_only: { status: 403, close: 4403 },
  not_ready: { status: 409, close: 4409 },
  rate_limited: { status: 429, close: 4429 },
  pty_unavailable: { status: 502, close: 4502 },
  internal: { status: 500, close: 4500 },
} as const;
export type ErrorCode = keyof typeof ErrorCodes;

/** Close codes after which a client should not reconnect with the same credentials. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([4401, 4403, 4404]);

export type Role = "owner" | "writer" | "viewer";
export const ROLES: readonly Role[] = ["owner", "writer", "viewer"];
export const canWrite = (role: Role): boolean => role !== "viewer";

/** Where the session is in its life; sent in `status` and `hello`. */
export type SessionPhase =
  | "provisioning" // finding or creating the sandbox
  | "connecting" // creating or re-attaching the PTY
  | "running" // the PTY is attached and relaying
  | "exited" // the command exited (exitCode says how)
  | "disconnected" // the PTY link dropped (sandbox stopped, network); the next input re-attaches
  | "asleep" // idle: the room let go of the PTY (it runs on) so it can hibernate; the next input wakes it
  | "error"; // provisioning failed (message says why)

export interface SessionStatus {
  phase: SessionPhase;
  /** Human-readable step, e.g. "Creating sandbox", shown while provisioning. */
  message?: string;
  exitCode?: number;
}

export interface PresenceEntry {
  id: string;
  role: Role;
  /** The name the person chose (or "Guest"), at most `Limits.maxNameLength` characters. */
  name: string;
  /** A colour for their marker, `#rrggbb`, the same on every screen. */
  color: string;
}

/** Text (JSON) frames from server to client. Clients ignore types they do not know. */
export type ServerMessage =
  | {
      type: "hello";
      version: number;
      role: Role;
      clientId: string;
      /** Offset one past the last byte the session has produced so far. */
      offset: number;
      cols: number;
      rows: number;
      status: SessionStatus;
    }
  /** Who is attached; `lastInput` is the client whose keystrokes reached the PTY most recently. */
  | { type: "presence"; clients: PresenceEntry[]; lastInput: string | null }
  | ({ type: "status" } & SessionStatus)
  /**
   * The client's `since` is no longer retained (or it fell too far behind): clear the terminal, draw `screen`
   * (the terminal's state at `offset`, serialized as escape sequences, `cols` × `rows`), then output resumes at
   * `offset`.
   */
  | { type: "reset"; offset: number; screen: string; cols: number; rows: number }
  | { type: "resize"; cols: number; rows: number }
  /** A tool call Claude made, as the TUI parser reads it; re-sent whenever it changes. */
  | ToolEvent
  /** What Claude is doing; with the permission menu's options while it waits for an answer. */
  | StateEvent
  | { type: "error"; code: ErrorCode; message: string };

/** Text (JSON) frames from client to server. */
export type ClientMessage =
  | { type: "resize"; cols: number; rows: number }
  /** Output up to `offset` has arrived (any role). The room sends a client at most `Limits.maxUnackedBytes` ahead. */
  | { type: "ack"; offset: number }
  /** Runs the session's command again after it exited (writers). */
  | { type: "restart" };

/** Everything a client frame can decode to. */
export type ClientFrame = ClientMessage | { type: "input"; data: Uint8Array };

/** Everything a server frame can decode to. */
export type ServerFrame = ServerMessage | { type: "output"; offset: number; data: Uint8Array };

export type Decoded<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

const fail = (code: ErrorCode, message: string): Decoded<never> => ({ ok: false, code, message });

// --- output frames ---

/** An output frame for `data` (or for the chunks in order, joined in the one copy the frame needs anyway). */
export function encodeOutput(offset: number, data: Uint8Array | readonly Uint8Array[]): Uint8Array {
  const chunks = data instanceof Uint8Array ? [data] : data;
  let length = 0;
  for (const chunk of chunks) length += chunk.byteLength;
  const frame = new Uint8Array(OUTPUT_HEADER_BYTES + length);
  frame[0] = FrameTag.output;
  writeU64(frame, 1, offset);
  let at = OUTPUT_HEADER_BYTES;
  for (const chunk of chunks) {
    frame.set(chunk, at);
    at += chunk.byteLength;
  }
  return frame;
}

export function encodeInput(data: Uint8Array): Uint8Array {
  const frame = new Uint8Array(1 + data.byteLength);
  frame[0] = FrameTag.input;
  frame.set(data, 1);
  return frame;
}

export function encodeMessage(message: ServerMessage | ClientMessage): string {
  return JSON.stringify(message);
}

// --- decoding: every client frame is untrusted ---

export function decodeClientFrame(frame: string | ArrayBuffer | ArrayBufferView): Decoded<ClientFrame> {
  if (typeof frame === "string") return decodeClientText(frame);
  const bytes = toBytes(frame);
  if (bytes.byteLength > Limits.maxInputFrameBytes) {
    return fail("too_large", `input frame of ${bytes.byteLength} bytes exceeds ${Limits.maxInputFrameBytes}`);
  }
  if (bytes.byteLength === 0) return fail("bad_request", "empty binary frame");
  if (bytes[0] !== FrameTag.input) return fail("bad_request", `unknown binary frame tag 0x${hex(bytes[0]!)}`);
  return { ok: true, value: { type: "input", data: bytes.subarray(1) } };
}

function decodeClientText(text: string): Decoded<ClientFrame> {
  // A UTF-16 length over the limit is over it in UTF-8 too; the exact byte count is only needed near the edge.
  if (text.length > Limits.maxTextFrameBytes || utf8Length(text) > Limits.maxTextFrameBytes) {
    return fail("too_large", `text frame exceeds ${Limits.maxTextFrameBytes} bytes`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail("bad_request", "text frame is not valid JSON");
  }
  if (!isRecord(parsed) || typeof parsed.type !== "string") {
    return fail("bad_request", "text frame must be a JSON object with a string `type`");
  }
  switch (parsed.type) {
    case "resize":
      return decodeResize(parsed);
    case "ack":
      return isSize(parsed.offset, 0, Number.MAX_SAFE_INTEGER)
        ? { ok: true, value: { type: "ack", offset: parsed.offset } }
        : fail("bad_request", "ack needs an integer offset ≥ 0");
    case "restart":
      return { ok: true, value: { type: "restart" } };
    default:
      return fail("bad_request", `unknown message type ${JSON.stringify(parsed.type.slice(0, 40))}`);
  }
}

function decodeResize(message: Record<string, unknown>): Decoded<ClientFrame> {
  const { cols, rows } = message;
  if (!isSize(cols, Limits.minCols, Limits.maxCols) || !isSize(rows, Limits.minRows, Limits.maxRows)) {
    return fail(
      "bad_request",
      `resize needs integer cols in ${Limits.minCols}..${Limits.maxCols} and rows in ${Limits.minRows}..${Limits.maxRows}`,
    );
  }
  return { ok: true, value: { type: "resize", cols, rows } };
}

/** Decodes a frame from the server. Unknown text types decode to `null` so older clients skip them. */
export function decodeServerFrame(frame: string | ArrayBuffer | ArrayBufferView): ServerFrame | null {
  if (typeof frame === "string") {
    const parsed: unknown = JSON.parse(frame);
    return isRecord(parsed) && typeof parsed.type === "string" ? (parsed as ServerMessage) : null;
  }
  const bytes = toBytes(frame);
  if (bytes.byteLength < OUTPUT_HEADER_BYTES || bytes[0] !== FrameTag.output) return null;
  return { type: "output", offset: readU64(bytes, 1), data: bytes.subarray(OUTPUT_HEADER_BYTES) };
}

// --- helpers ---

export function isSize(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toBytes(frame: ArrayBuffer | ArrayBufferView): Uint8Array {
  return frame instanceof Uint8Array
    ? frame
    : ArrayBuffer.isView(frame)
      ? new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength)
      : new Uint8Array(frame);
}

// Offsets stay below 2^53 (8 PiB of output), so two 32-bit halves carry them without BigInt.
function writeU64(target: Uint8Array, at: number, value: number): void {
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  view.setUint32(at, value >>> 0, true);
  view.setUint32(at + 4, Math.floor(value / 0x1_0000_0000), true);
}

function readU64(source: Uint8Array, at: number): number {
  const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 0x1_0000_0000;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const hex = (byte: number): string => byte.toString(16).padStart(2, "0");
