// SessionConnection: a Lit reactive controller that owns one session's reconnecting WebSocket and speaks protocol v1 over it.
import type { ReactiveController, ReactiveControllerHost } from "lit";
import ReconnectingWebSocket, { type CloseEvent, type ErrorEvent } from "partysocket/ws";
import {
  canWrite,
  decodeServerFrame,
  encodeInput,
  encodeMessage,
  type ErrorCode,
  FATAL_CLOSE_CODES,
  Limits,
  type PresenceEntry,
  type Role,
  type SessionStatus,
  type StateEvent,
} from "../parsers/protocol";
import { ApiError, requestTicket } from "./api";
import { OutputCursor } from "./output-cursor";
import { diffPresence, type PresenceChange } from "./presence";
import { ReconnectBackoff } from "./reconnect-backoff";
import { type ToolCall, ToolCallLog } from "./tool-calls";

/**
 * Where the socket is, as the header badge shows it.
 * - `connecting`: the first attempt is under way
 * - `open`: the socket is open; output flows and writers may type
 * - `reconnecting`: the socket dropped or an attempt failed; another attempt follows after a back-off
 * - `offline`: the browser reports no network; attempts resume when it comes back
 * - `closed-fatal`: the link is invalid or the session is gone; no more attempts
 * - `closed`: the page let go of the session
 */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "offline" | "closed-fatal" | "closed";

/** Where decoded output goes: the terminal. Calls arrive in stream order. */
export interface TerminalSink {
  /**
   * Raw PTY bytes; `offset` is the stream offset of the first one, and `replay` is true for bytes produced
   * before this connection opened. `processed` is called once the terminal has taken all of them in.
   */
  write(data: Uint8Array, replay: boolean, offset: number, processed: () => void): void;
  /** Clears the screen and scrollback: the bytes that follow start from a point the terminal has not seen. */
  reset(screen: string): void;
  /** The PTY's size changed (or is first known); later bytes are laid out for it. */
  resize(cols: number, rows: number): void;
}

export interface Size {
  cols: number;
  rows: number;
}

/** Why the connection gave up. */
export interface FatalError {
  /** The close code (4401, 4403, 4404) or the HTTP status of the refused ticket request. */
  code: number;
  message: string;
}

/** The last `error` frame from the server: a refused frame; the connection stays open. */
export interface ServerError {
  code: ErrorCode;
  message: string;
  /** `Date.now()` when it arrived, so a page can show it for a while. */
  at: number;
}

/** How long the WebSocket handshake may take once the ticket is in hand, in milliseconds. */
const CONNECTION_TIMEOUT_MS = 8_000;

/** Largest input payload per frame: the protocol limit minus the tag byte. */
const MAX_INPUT_PAYLOAD_BYTES = Limits.maxInputFrameBytes - 1;

export interface SessionConnectionOptions {
  sessionId: string;
  /** The link's capability token, from the URL fragment. */
  token: string;
  sink: TerminalSink;
  /** The display name for the next ticket, read before every connection attempt; "" lets the server say "Guest". */
  name?: () => string;
  /** People joined or left (never called for the first presence list after a (re)connect, nor about this client). */
  onPresenceChanges?: (changes: PresenceChange[]) => void;
}

export class SessionConnection implements ReactiveController {
  /** Connection state for the badge. */
  state: ConnectionState = "connecting";
  /** The role granted by the link; null until the first ticket or `hello`. */
  role: Role | null = null;
  /** The session's lifecycle, from `hello` and `status`; null before the first `hello`. */
  status: SessionStatus | null = null;
  /** Everyone attached (this client included); null before the first `presence`. */
  presence: PresenceEntry[] | null = null;
  /** The client whose keystrokes reached the PTY most recently, from `presence`. */
  lastInput: string | null = null;
  /** This connection's id in `presence`; null before `hello`. */
  clientId: string | null = null;
  /** The PTY's size as last reported, or as this writer last set it. */
  ptySize: Size | null = null;
  /** Set once the connection gave up for good. */
  fatal: FatalError | null = null;
  /** Why the last attempt failed, while reconnecting. */
  lastFailure: string | null = null;
  /** The last `error` frame. */
  lastServerError: ServerError | null = null;
  /** Attempts since the last successful open (1 = the first try). */
  attempt = 0;
  /** What Claude is doing, as the room's parser reads it; null before the first `state`. */
  claudeState: StateEvent | null = null;

  readonly #host: ReactiveControllerHost;
  readonly #options: SessionConnectionOptions;
  readonly #cursor = new OutputCursor();
  /** Tool calls by id, in order of first appearance; replaced by the room's snapshot on every (re)connect. */
  readonly #tools = new ToolCallLog();
  #socket: ReconnectingWebSocket | null = null;
  /** Stream offset where this connection's live output starts (`hello.offset`); earlier bytes are replay. */
  #liveFrom = 0;
  /** Output bytes received since the last `ack`. */
  #unacked = 0;
  /** The size this client's pane fits. */
  #desiredSize: Size | null = null;
  /** Whether the next `hello` should ask the PTY for `#desiredSize`: on joining, or when the pane changed while disconnected. */
  #resizeOnHello = true;
  /** Waits between attempts; it runs inside the URL provider (partysocket's own delay is 0), so it can be cut short. */
  readonly #backoff = new ReconnectBackoff();
  /** Whether an attempt was made already: every later one waits first. */
  #started = false;
  /** The next attempt is a deliberate one (`reconnect()`): no back-off, no "connection dropped". */
  #deliberate = false;
  /** The name the current socket's ticket carried. */
  #ticketName = "";
  /** Whether a `presence` list arrived since the last `hello`: the first one is the baseline for join/leave notices. */
  #presenceSinceHello = false;

  constructor(host: ReactiveControllerHost, options: SessionConnectionOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Offset of the next output byte this client expects; null before any output arrived. */
  get nextOffset(): number | null {
    return this.#cursor.next;
  }

  /** The tool calls Claude made, oldest first; a new array whenever one changes. */
  get toolCalls(): readonly ToolCall[] {
    return this.#tools.calls;
  }

  /** The size this client asked for (its fitted pane), if any. */
  get desiredSize(): Size | null {
    return this.#desiredSize;
  }

  /** True when this client may type and the socket is open. */
  get writable(): boolean {
    return this.state === "open" && this.role !== null && canWrite(this.role);
  }

  hostConnected(): void {
    if (this.#socket) return;
    this.fatal = null;
    this.#setState(navigator.onLine === false ? "offline" : "connecting");
    this.#socket = new ReconnectingWebSocket(this.#nextUrl, undefined, {
      maxEnqueuedMessages: 0, // keystrokes typed while disconnected are dropped, never replayed later
      minReconnectionDelay: 0, // the back-off happens in #nextUrl
      maxReconnectionDelay: 0,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      shouldReconnectOnClose: (event) => !FATAL_CLOSE_CODES.has(event.code),
    });
    this.#socket.binaryType = "arraybuffer";
    // The on* properties receive partysocket's own events; in browsers the copies it dispatches to listeners
    // lose `code` and `message` for the close and error events it synthesizes (its cloneEventBrowser).
    this.#socket.onopen = this.#onOpen;
    this.#socket.onmessage = this.#onMessage;
    this.#socket.onclose = this.#onClose;
    this.#socket.onerror = this.#onError;
    window.addEventListener("online", this.#onOnline);
    window.addEventListener("offline", this.#onOffline);
    document.addEventListener("visibilitychange", this.#onVisibilityChange);
  }

  hostDisconnected(): void {
    window.removeEventListener("online", this.#onOnline);
    window.removeEventListener("offline", this.#onOffline);
    document.removeEventListener("visibilitychange", this.#onVisibilityChange);
    const socket = this.#socket;
    this.#socket = null;
    this.#backoff.wake();
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close(1000, "page closed");
    }
    if (this.state !== "closed-fatal") this.state = "closed";
  }

  /** Asks the room to run the command again after it exited (writers). */
  restart(): void {
    if (this.state === "open" && this.writable) this.#socket?.send(encodeMessage({ type: "restart" }));
  }

  /**
   * Tells the room how far output has been taken in, every `Limits.ackEveryBytes`, so it keeps sending. The terminal
   * has processed it, not just received it: a page slower than the stream (a flood) then holds at most the room's
   * window, and falls behind in the room, which skips it ahead, instead of queueing everything it is sent.
   */
  #acknowledge(end: number, bytes: number): void {
    this.#unacked += bytes;
    if (this.#unacked < Limits.ackEveryBytes) return;
    this.#unacked = 0;
    this.#socket?.send(encodeMessage({ type: "ack", offset: end }));
  }

  /** Sends keystrokes or a paste to the PTY. Returns false (and sends nothing) unless writable and open. */
  sendInput(data: Uint8Array): boolean {
    const socket = this.#socket;
    if (!socket || !this.writable || data.byteLength === 0) return false;
    for (let at = 0; at < data.byteLength; at += MAX_INPUT_PAYLOAD_BYTES) {
      // encodeInput allocates a fresh (non-shared) buffer; partysocket's `send` type asks for exactly that.
      const frame = encodeInput(data.subarray(at, at + MAX_INPUT_PAYLOAD_BYTES)) as Uint8Array<ArrayBuffer>;
      if (!socket.send(frame)) return false;
    }
    return true;
  }

  /**
   * Records the size this client's pane fits. A writer asks the PTY for it (now when open, else on the next
   * `hello`); the terminal keeps the PTY's size until the room says it changed (`resize`), so output is always
   * drawn at the size it was written for. The room keeps the size of the writer who typed last, and answers a
   * writer whose size it keeps for later with the current one. A viewer sends nothing.
   */
  resize(cols: number, rows: number): void {
    const size = {
      cols: clamp(Math.floor(cols), Limits.minCols, Limits.maxCols),
      rows: clamp(Math.floor(rows), Limits.minRows, Limits.maxRows),
    };
    this.#desiredSize = size;
    if (this.state !== "open") {
      this.#resizeOnHello = true;
      return;
    }
    if (this.role === null || !canWrite(this.role)) return;
    this.#socket?.send(encodeMessage({ type: "resize", ...size }));
  }

  /**
   * Opens a fresh connection now with a new ticket (e.g. to carry a new display name), resuming the output where
   * it left off. While not open, it just cuts a pending back-off short.
   */
  reconnect(): void {
    const socket = this.#socket;
    if (!socket || this.state === "closed-fatal") return;
    if (this.state !== "open") {
      this.#backoff.wake();
      return;
    }
    this.#deliberate = true;
    socket.reconnect(1000, "reconnecting");
  }

  /** Tries again now, cutting the back-off short (when the network returns, or the user asks). */
  reconnectNow(): void {
    if (!this.#socket || this.state === "open" || this.state === "closed-fatal") return;
    this.#backoff.wake();
  }

  // --- partysocket hooks ---

  /** Runs before every attempt: a fresh single-use ticket, and the offset to resume from once output has arrived. */
  #nextUrl = async (): Promise<string> => {
    this.attempt += 1;
    const deliberate = this.#deliberate;
    this.#deliberate = false;
    if (this.#started && !deliberate) {
      const offline = navigator.onLine === false;
      if (offline) this.#setState("offline");
      await this.#backoff.wait(offline);
      if (!this.#socket || this.state === "closed-fatal") throw new Error("the page let go of the session");
      this.#setState("reconnecting");
    }
    this.#started = true;
    let ticket;
    const name = this.#options.name?.() ?? "";
    try {
      ticket = await requestTicket(this.#options.sessionId, this.#options.token, name);
    } catch (error) {
      if (error instanceof ApiError && error.fatal) {
        this.#giveUp({ code: error.status, message: fatalTicketMessage(error) });
      }
      throw error instanceof Error ? error : new Error(String(error));
    }
    this.role = ticket.role;
    this.#ticketName = name;
    const url = new URL(`/api/sessions/${encodeURIComponent(this.#options.sessionId)}/ws`, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("ticket", ticket.ticket);
    const since = this.#cursor.next;
    if (since !== null) url.searchParams.set("since", String(since));
    return url.toString();
  };

  #onOpen = (): void => {
    this.attempt = 0;
    this.#backoff.opened();
    this.lastFailure = null;
    this.#setState("open");
    // The name changed while this attempt was under way: the server knows the old one.
    if ((this.#options.name?.() ?? "") !== this.#ticketName) queueMicrotask(() => this.reconnect());
  };

  #onMessage = (event: MessageEvent): void => {
    const raw: unknown = event.data;
    if (typeof raw !== "string" && !(raw instanceof ArrayBuffer)) return;
    let frame;
    try {
      frame = decodeServerFrame(raw);
    } catch {
      console.warn("session.frame_unreadable", { session: this.#options.sessionId });
      return;
    }
    if (!frame) return;
    switch (frame.type) {
      case "output": {
        const end = frame.offset + frame.data.byteLength;
        const acknowledge = (): void => this.#acknowledge(end, frame.data.byteLength);
        const accepted = this.#cursor.accept(frame.offset, frame.data);
        if (!accepted.deliver) return acknowledge();
        if (accepted.gap > 0) {
          console.warn("session.output_gap", { session: this.#options.sessionId, missing: accepted.gap });
        }
        this.#options.sink.write(accepted.data, frame.offset < this.#liveFrom, end - accepted.data.byteLength, acknowledge);
        return;
      }
      case "hello": {
        this.role = frame.role;
        this.clientId = frame.clientId;
        this.status = frame.status;
        this.#presenceSinceHello = false;
        this.#liveFrom = frame.offset;
        this.#unacked = 0;
        // The room sends every call it keeps (and the state) right after the replay.
        this.#tools.clear();
        // A writer sizes the PTY when it joins. After a reconnect it does so only if its pane changed meanwhile
        // or it had set the current size itself (a restarted room forgets it): a flaky link must not take the
        // size back from another writer who set it since.
        // The terminal takes the PTY's size first: the replay that follows was drawn for it. When the room applies
        // this writer's size, its `resize` comes after the replay.
        const desired = this.#desiredSize;
        const assert = this.#resizeOnHello || (desired !== null && sameSize(this.ptySize, desired));
        this.#resizeOnHello = false;
        this.#applyPtySize({ cols: frame.cols, rows: frame.rows });
        if (assert && canWrite(frame.role) && desired && !sameSize(desired, frame)) {
          this.#socket?.send(encodeMessage({ type: "resize", ...desired }));
        }
        break;
      }
      case "reset":
        this.#cursor.restartAt(frame.offset);
        this.#options.sink.reset(frame.screen ?? "");
        return;
      case "resize":
        this.#applyPtySize({ cols: frame.cols, rows: frame.rows });
        break;
      case "status":
        this.status = { phase: frame.phase, message: frame.message, exitCode: frame.exitCode };
        break;
      case "presence": {
        const changes = diffPresence(this.#presenceSinceHello ? this.presence : null, frame.clients, this.clientId);
        this.#presenceSinceHello = true;
        this.presence = frame.clients;
        this.lastInput = frame.lastInput ?? null;
        if (changes.length > 0) this.#options.onPresenceChanges?.(changes);
        break;
      }
      case "tool":
        this.#tools.apply(frame, performance.now());
        break;
      case "state":
        this.claudeState = frame;
        break;
      case "error":
        this.lastServerError = { code: frame.code, message: frame.message, at: Date.now() };
        break;
      default:
        // Message types this client does not know (newer servers) are skipped.
        frame satisfies never;
        return;
    }
    this.#host.requestUpdate();
  };

  #onClose = (event: CloseEvent): void => {
    if (!this.#socket || this.state === "closed-fatal") return;
    if (FATAL_CLOSE_CODES.has(event.code)) {
      this.#giveUp({ code: event.code, message: fatalCloseMessage(event.code, event.reason) });
      return;
    }
    this.#backoff.closed();
    if (this.#deliberate) {
      this.#setState("connecting");
      return;
    }
    if (event.code !== 1000 && event.reason) this.lastFailure = event.reason;
    this.#setState(navigator.onLine === false ? "offline" : "reconnecting");
  };

  #onError = (event: ErrorEvent): void => {
    if (!this.#socket || this.state === "closed-fatal") return;
    const message = event.message || event.error?.message;
    this.lastFailure = message === "TIMEOUT" ? "the server did not answer in time" : message || "the connection failed";
    this.#setState(navigator.onLine === false ? "offline" : "reconnecting");
  };

  // --- browser hooks ---

  #onOnline = (): void => this.reconnectNow();

  #onOffline = (): void => {
    if (this.state !== "open" && this.state !== "closed-fatal") this.#setState("offline");
  };

  #onVisibilityChange = (): void => {
    if (document.visibilityState === "visible" && this.state === "reconnecting") this.reconnectNow();
  };

  // --- helpers ---

  #applyPtySize(size: Size): void {
    if (sameSize(this.ptySize, size)) return;
    this.ptySize = size;
    this.#options.sink.resize(size.cols, size.rows);
    this.#host.requestUpdate();
  }

  #giveUp(fatal: FatalError): void {
    this.fatal = fatal;
    this.#setState("closed-fatal");
    this.#socket?.close(1000, "giving up");
  }

  #setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.#host.requestUpdate();
  }
}

/** Shown when the owner replaced the link this page was opened with. */
export const REVOKED_MESSAGE = "This link was revoked by the session owner.";

const isRevoked = (reason: string): boolean => /revoked/i.test(reason);

function fatalTicketMessage(error: ApiError): string {
  if (error.status === 404) return "This session does not exist (or no longer exists).";
  if (error.status === 401 && isRevoked(error.message)) return REVOKED_MESSAGE;
  if (error.status === 401) return "This link's access token is not valid for this session.";
  return `The server refused this link: ${error.message}`;
}

function fatalCloseMessage(code: number, reason: string): string {
  switch (code) {
    case 4401:
      return isRevoked(reason) ? REVOKED_MESSAGE : "The server did not accept this connection's credentials.";
    case 4403:
      return reason || "The server refused this connection.";
    case 4404:
      return "This session does not exist (or no longer exists).";
    default:
      return reason || `Closed with code ${code}.`;
  }
}

function sameSize(a: Size | null, b: Size): boolean {
  return a !== null && a.cols === b.cols && a.rows === b.rows;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
