// SessionRoom: one Durable Object per session; relays its sandbox PTY to every attached browser socket.
import { type Connection, type ConnectionContext, Server, type WSMessage } from "partyserver";
import {
  type ClientMessage,
  canWrite,
  decodeClientFrame,
  encodeMessage,
  type ErrorCode,
  ErrorCodes,
  Limits,
  type PresenceEntry,
  PROTOCOL_VERSION,
  type Role,
  ROLES,
  type ServerMessage,
  type SessionStatus,
} from "../parsers/protocol";
import type { Preview } from "../snapshot/preview";
import { ANTHROPIC_ENV_NAMES, type Env } from "./env";
import { DEFAULT_LOG_BYTES } from "./output-log";
import { OutputStream } from "./output-stream";
import { cleanName, pickColor } from "./presence";
import { PreviewLinks } from "./preview";
import { PtyLink, SandboxStoppedError } from "./pty-link";
import { INPUT_RATE_LIMIT, TokenBucket } from "./rate-limit";
import { type Generations, SessionAccess } from "./session-access";
import { RecordingTrim } from "./recording-trim";
import { type RecordingPlace, shellQuote } from "./sandbox-recording";
import { ToolFeed } from "./tool-feed";

/** Headers the Worker sets on a WebSocket it forwards after redeeming its ticket; never taken from a browser. */
export const FORWARDED = { role: "x-nightona-role", generation: "x-nightona-generation", name: "x-nightona-name" } as const;
/**
 * After the PTY link drops the room re-attaches by itself: at once after a link that lasted this long, in
 * milliseconds, otherwise after a delay that doubles with each drop, up to `MAX_REATTACH_DELAY_MS`.
 */
const STABLE_LINK_MS = 5_000;
const MIN_REATTACH_DELAY_MS = 250;
const MAX_REATTACH_DELAY_MS = 10_000;
/** Default quiet time before the room lets go of the PTY so it can hibernate, in seconds (`IDLE_DETACH_SECONDS`). */
const DEFAULT_IDLE_DETACH_S = 300;
/** Keystrokes kept while the room wakes up, in bytes; more are refused. */
const MAX_WAKING_INPUT_BYTES = 64 * 1024;
/**
 * Most output read back from the recording after the PTY link dropped (a flood outran the room, the room restarted):
 * a burst such as a large `cat` arrives whole; more than this is skipped but for its end.
 */
const MAX_READ_BACK_BYTES = 32 * 1024 * 1024;
/** …and at most this much once someone typed meanwhile (a Ctrl-C under a flood): the screen's worth, soon. */
const PRESENT_READ_BACK_BYTES = 2 * 1024 * 1024;
/** A read-back piece waits at most this long for the clients to acknowledge the previous ones, in milliseconds. */
const READ_BACK_PACE_MS = 2_000;
const RECORDING_KEY = "recording";
/** The sandbox's recording keeps this many logs' worth behind the stream's end; older output's disk space goes back. */
const RECORDING_KEPT_LOGS = 4;
const ASLEEP_KEY = "asleep";
/** Environment every sandbox PTY gets, besides the Anthropic credentials. */
const PTY_ENV = {
  TERM: "xterm-256color",
  COLORTERM: "truecolor",
  // Keep Claude Code's inline renderer: the full-screen one switches to the alternate screen.
  CLAUDE_CODE_DISABLE_ALTERNATE_SCREEN: "1",
  DISABLE_AUTOUPDATER: "1",
};

/** What the session was created with; stored once, read on every start. */
export interface SessionConfig {
  command: string;
  cols: number;
  rows: number;
}

export interface SessionDescription {
  id: string;
  command: string;
  status: SessionStatus;
  offset: number;
  cols: number;
  rows: number;
  clients: PresenceEntry[];
}

export type Lookup<T> = { ok: true; value: T } | { ok: false; code: Extract<ErrorCode, "not_found" | "unauthorized"> };

interface ConnectionState {
  role: Role;
  /** The link generation the client's ticket came from; rotating that role's link closes the socket. */
  generation: number;
  name: string;
  color: string;
  /** The size this client's pane fits, for a writer: applied when it is the most recently active writer. */
  fits?: { cols: number; rows: number };
}

/** A ticket as the Worker verified it, for the room's checks that need state. */
export interface TicketCheck {
  role: Role;
  generation: number;
  nonce: string;
  expires: number;
}

export class SessionRoom extends Server<Env> {
  static override options = { hibernate: true };

  #config: SessionConfig | null = null;
  #access: SessionAccess | null = null;
  /** The output: kept, and delivered to every socket (set up in onStart). */
  #output!: OutputStream;
  #tools: ToolFeed | null = null;
  /** Where the PTY's recording in the sandbox stands in the stream (to read back output the room missed). */
  #recording: RecordingPlace | null = null;
  #recordingTrim!: RecordingTrim;
  /** Keystrokes typed while the PTY link is being (re)opened; they reach the PTY once it is attached. */
  #pendingInput: Array<{ connectionId: string; data: Uint8Array }> = [];
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #lastActivity = 0;
  #status: SessionStatus = { phase: "provisioning", message: "Waiting for the first client" };
  #link: PtyLink | null = null;
  #linking: Promise<void> | null = null;
  /** Whether the open in flight may start a stopped sandbox. */
  #linkingStarts = false;
  #linkOpenedAt = 0;
  #reattachDelayMs = 0;
  #reattachTimer: ReturnType<typeof setTimeout> | undefined;
  /** The link dropped while the PTY ran on (not a stopped sandbox): keys typed meanwhile wait for the re-attach. */
  #linkDropped = false;
  #size = { cols: 80, rows: 24 };
  #resizing: Promise<void> | null = null;
  /** The client whose input reached the PTY most recently (size policy and presence). */
  #lastInput: string | null = null;
  #inputBuckets = new Map<string, TokenBucket>();
  #previews: PreviewLinks | null = null;
  /**
   * The open browser sockets: the room's one list of them, for output, broadcasts and presence. Asking the
   * hibernation API for them on every output frame cost about a sixth of the room's time while output streamed.
   */
  readonly #sockets = new Map<string, Connection<ConnectionState>>();
  /** The same sockets, to know a message's socket without reading its attachment (`webSocketMessage`). */
  readonly #knownSockets = new WeakSet<WebSocket>();

  override async onStart(): Promise<void> {
    this.#config = (await this.ctx.storage.get<SessionConfig>("config")) ?? null;
    this.#access = await SessionAccess.load(this.ctx.storage);
    if (this.#config) this.#size = (await this.ctx.storage.get<{ cols: number; rows: number }>("size")) ?? this.#config;
    this.#output?.dispose();
    const logBytes = this.#logBytes();
    this.#output = await OutputStream.restore(this.ctx.storage, {
      maxBytes: logBytes,
      size: this.#size,
      clients: () => this.#sockets.values(),
      readRecorded: (from, to) => {
        const recording = this.#recordingAtHand();
        const kept = from >= this.#recordingTrim.discardedBefore;
        return recording && kept ? recording.link.readRecorded(recording.place, from, to) : null;
      },
    });
    this.#recordingTrim = new RecordingTrim(RECORDING_KEPT_LOGS * logBytes, (before) => {
      const recording = this.#recordingAtHand();
      return recording ? recording.link.discardRecorded(recording.place, before) : null;
    });
    for (const connection of this.getConnections<ConnectionState>()) this.#holdSocket(connection);
    this.#recording = (await this.ctx.storage.get<RecordingPlace>(RECORDING_KEY)) ?? null;
    if (await this.ctx.storage.get<boolean>(ASLEEP_KEY)) this.#status = asleepStatus();
    this.#tools?.dispose();
    this.#tools = await ToolFeed.restore(this.ctx.storage, this.#size, (event) => this.#broadcast(event));
  }

  // --- RPC from the Worker, which has already verified the signature and expiry of every token it passes ---

  /** Stores a new session's configuration and returns the link generations to sign. Refuses a second initialization. */
  async initialize(options: SessionConfig): Promise<Generations | null> {
    if (this.#config) return null;
    await this.ctx.storage.put("config", options);
    this.#config = options;
    this.#size = { cols: options.cols, rows: options.rows };
    this.#tools?.resize(options.cols, options.rows);
    this.#output.resized(options.cols, options.rows);
    return this.#generations();
  }

  /** Whether a link of this role and generation still works. */
  async checkLink(role: Role, generation: number): Promise<Lookup<true>> {
    if (!this.#config) return { ok: false, code: "not_found" };
    return this.#access!.isCurrent(role, generation) ? { ok: true, value: true } : { ok: false, code: "unauthorized" };
  }

  /** Consumes a ticket: it opens one socket, and only while its link generation is current. */
  async redeemTicket(ticket: TicketCheck): Promise<Lookup<true>> {
    const link = await this.checkLink(ticket.role, ticket.generation);
    if (!link.ok) return link;
    const fresh = await this.#access!.consumeNonce(ticket.nonce, ticket.expires * 1000);
    return fresh ? link : { ok: false, code: "unauthorized" };
  }

  async describe(role: Role, generation: number): Promise<Lookup<SessionDescription>> {
    const link = await this.checkLink(role, generation);
    if (!link.ok) return link;
    return {
      ok: true,
      value: {
        id: this.name,
        command: this.#config!.command,
        status: this.#status,
        offset: this.#output.end,
        ...this.#size,
        clients: this.#presence(),
      },
    };
  }

  /** The app preview of the session's sandbox; one signed URL serves every client (viewers too) until renewal. */
  async preview(role: Role, generation: number): Promise<Lookup<Preview>> {
    const link = await this.checkLink(role, generation);
    if (!link.ok) return link;
    this.#previews ??= new PreviewLinks({
      sessionId: this.name,
      apiUrl: this.env.DAYTONA_API_URL,
      apiKey: this.env.DAYTONA_API_KEY,
      target: this.env.DAYTONA_TARGET,
    });
    return { ok: true, value: await this.#previews.current() };
  }

  /**
   * Replaces the write or read link: tokens and tickets of the old generation stop working, and the sockets
   * opened with them are closed. Returns the new generation to sign.
   */
  async rotateLink(role: Exclude<Role, "owner">): Promise<Lookup<number>> {
    if (!this.#config) return { ok: false, code: "not_found" };
    const generation = await this.#access!.rotate(role);
    for (const connection of this.getConnections<ConnectionState>(role)) {
      if (connection.state?.generation !== generation) this.#closeWith(connection, "unauthorized", "this link was revoked");
    }
    return { ok: true, value: generation };
  }

  #generations(): Generations {
    const access = this.#access!;
    return { owner: access.current("owner"), writer: access.current("writer"), viewer: access.current("viewer") };
  }

  // --- browser sockets ---

  override getConnectionTags(_connection: Connection, context: ConnectionContext): string[] {
    const role = context.request.headers.get(FORWARDED.role);
    return role && (ROLES as readonly string[]).includes(role) ? [role] : [];
  }

  override onConnect(connection: Connection<ConnectionState>, context: ConnectionContext): void {
    const role = ROLES.find((candidate) => connection.tags.includes(candidate));
    if (!this.#config || !role) {
      // The Worker only forwards redeemed tickets; anything else is a bug or a bypass attempt.
      this.#closeWith(connection, "unauthorized", "connect through /api/sessions/:id/ws with a ticket");
      return;
    }
    this.#holdSocket(connection);
    const headers = context.request.headers;
    connection.setState({
      role,
      generation: Number(headers.get(FORWARDED.generation)),
      name: cleanName(decodeURIComponent(headers.get(FORWARDED.name) ?? "")),
      color: pickColor(
        this.#presence(connection.id).map((entry) => entry.color),
        connection.id,
      ),
    });
    this.#send(connection, {
      type: "hello",
      version: PROTOCOL_VERSION,
      role,
      clientId: connection.id,
      offset: this.#output.end,
      ...this.#size,
      status: this.#status,
    });
    const since = parseSince(new URL(context.request.url).searchParams.get("since"));
    if (since !== null && since > this.#output.end && this.#mayCatchUp()) {
      // The client saw output this room has not (yet) read back from the sandbox's recording: replay once it has.
      this.#output.hold(connection);
      void this.#ensureLink().finally(() => {
        if (this.#output.joinHeld(connection, since)) this.#sendTools(connection);
      });
    } else {
      this.#output.join(connection, since);
      this.#sendTools(connection);
    }
    this.#broadcastPresence();
    // An asleep room stays asleep for someone who only watches; the first keystroke wakes it.
    if (this.#status.phase !== "asleep") void this.#ensureLink();
  }

  #sendTools(connection: Connection): void {
    for (const event of this.#tools?.snapshot() ?? []) this.#send(connection, event);
  }

  /** Whether opening the link may still read back output the room has not seen. */
  #mayCatchUp(): boolean {
    return !this.#link?.open && this.#recording !== null && this.#status.phase !== "exited";
  }

  /** The running PTY's recording and the link to reach it, when the room has both. */
  #recordingAtHand(): { link: PtyLink; place: RecordingPlace } | null {
    const link = this.#link;
    return link?.open && this.#recording ? { link, place: this.#recording } : null;
  }

  #holdSocket(connection: Connection<ConnectionState>): void {
    this.#sockets.set(connection.id, connection);
    this.#knownSockets.add(connection);
  }

  /**
   * A message on a socket the room holds goes straight to `onMessage`. partyserver's own path first reads the
   * socket's attachment to check that the socket is one of its own, on every message: about a tenth of the room's
   * time per keystroke. Any other socket takes that path.
   */
  override async webSocketMessage(ws: WebSocket, message: WSMessage): Promise<void> {
    if (!this.#knownSockets.has(ws)) return super.webSocketMessage(ws, message);
    try {
      await this.onMessage(ws as Connection<ConnectionState>, message);
    } catch (error) {
      console.error("socket.message", { session: this.name, error: String(error) });
    }
  }

  override async onMessage(connection: Connection<ConnectionState>, message: WSMessage): Promise<void> {
    const decoded = decodeClientFrame(message);
    if (!decoded.ok) return this.#sendError(connection, decoded.code, decoded.message);
    const frame = decoded.value;
    if (frame.type === "ack") return this.#output.acknowledge(connection, frame.offset);
    const role = connection.state?.role;
    if (!role || !canWrite(role)) {
      return this.#sendError(connection, "read_only", "this link is read-only: input, resize and restart are refused");
    }
    switch (frame.type) {
      case "input":
        return this.#input(connection, frame.data);
      case "resize":
        return this.#resize(connection, frame);
      case "restart":
        return this.#restart(connection);
      default:
        frame satisfies never;
    }
  }

  override onClose(connection: Connection): void {
    this.#sockets.delete(connection.id);
    this.#knownSockets.delete(connection);
    this.#output.left(connection.id);
    this.#inputBuckets.delete(connection.id);
    if (this.#lastInput === connection.id) this.#lastInput = null;
    this.#broadcastPresence(connection.id);
  }

  override onError(connection: Connection, error: unknown): void {
    console.warn("socket.error", { session: this.name, client: connection.id, error: String(error) });
  }

  // --- the PTY link ---

  /**
   * Opens the PTY link unless it is open. `startStopped` is for people (a client connecting, a keystroke): only
   * they may start a stopped sandbox; the room's own re-attach after a dropped link leaves it stopped.
   */
  async #ensureLink(startStopped = true): Promise<void> {
    if (this.#link?.open || !this.#config) return;
    if (this.#status.phase === "exited") return;
    if (this.#linking) {
      if (!startStopped || this.#linkingStarts) return this.#linking;
      await this.#linking; // a re-attach that may not start the sandbox; then try again, allowed to
      return this.#ensureLink(true);
    }
    this.#linkingStarts = startStopped;
    this.#linking = this.#openLink(startStopped).finally(() => {
      this.#linking = null;
    });
    return this.#linking;
  }

  async #openLink(startStopped: boolean): Promise<void> {
    const config = this.#config!;
    const openedAt = { ...this.#size };
    try {
      const link = await PtyLink.open(
        {
          sessionId: this.name,
          apiUrl: this.env.DAYTONA_API_URL,
          apiKey: this.env.DAYTONA_API_KEY,
          target: this.env.DAYTONA_TARGET,
          snapshot: this.env.DAYTONA_SNAPSHOT,
          envs: this.#ptyEnv(),
          // A session that ran before (a restart, a stopped sandbox) picks Claude's conversation up again.
          command: this.#output.end > 0 ? continuingCommand(config.command) : config.command,
          ...this.#size,
          startStopped,
          resumeFrom: this.#output.end,
          recording: this.#recording,
          readBack: { maxBytes: MAX_READ_BACK_BYTES, presentBytes: Math.min(PRESENT_READ_BACK_BYTES, this.#output.maxBytes) },
          takeTypedInput: () => this.#pendingInput.splice(0).map((input) => input.data),
        },
        {
          onProgress: (message) =>
            this.#setStatus({ phase: message === "Opening terminal" ? "connecting" : "provisioning", message }),
          onData: (data) => this.#relay(data),
          onClose: (result) => this.#linkClosed(result),
          onRecording: (place) => {
            this.#recording = place;
            void this.ctx.storage.put(RECORDING_KEY, place);
          },
          onSkip: (offset) => this.#output.skipTo(offset),
          paceReadBack: () => this.#output.whenClientsHaveRoom(READ_BACK_PACE_MS),
        },
      );
      this.#link = link;
      this.#linkOpenedAt = Date.now();
      this.#linkDropped = false;
      if (link.origin === "created" && this.#recording?.nonce !== link.recordingNonce) {
        // A new PTY: the old recording no longer runs. The new one reports its place once its marker goes by.
        this.#recording = null;
        void this.ctx.storage.delete(RECORDING_KEY);
      }
      void this.ctx.storage.delete(ASLEEP_KEY);
      this.#setStatus({ phase: "running" });
      this.#touch();
      for (const { data } of this.#pendingInput.splice(0)) await link.sendInput(data).catch(() => undefined);
      if (link.origin === "attached" && !link.caughtUp) await this.#redraw(link);
      // A resize that arrived while the PTY was being opened is applied now.
      else if (this.#size.cols !== openedAt.cols || this.#size.rows !== openedAt.rows) await this.#applySize();
    } catch (error) {
      this.#dropPendingInput();
      if (error instanceof SandboxStoppedError) {
        this.#linkDropped = false;
        this.#setStatus({ phase: "disconnected", message: "The sandbox stopped; the next keystroke starts it again" });
        return;
      }
      console.error("pty.open", { session: this.name, error: String(error) });
      this.#setStatus({ phase: "error", message: `Could not open the sandbox terminal: ${errorMessage(error)}` });
    }
  }

  #linkClosed(result: { exitCode?: number; reason?: string }): void {
    this.#link = null;
    clearTimeout(this.#idleTimer);
    this.#linkDropped = result.exitCode === undefined;
    if (result.exitCode === undefined) {
      // A dropped link (a burst the room could not drain, a network blip) re-attaches by itself and reads back what
      // the PTY wrote meanwhile from the recording. A stopped sandbox stays stopped until someone types.
      const lasted = Date.now() - this.#linkOpenedAt >= STABLE_LINK_MS;
      this.#reattachDelayMs = lasted ? 0 : Math.min(MAX_REATTACH_DELAY_MS, Math.max(MIN_REATTACH_DELAY_MS, 2 * this.#reattachDelayMs));
      this.#setStatus({ phase: "connecting", message: "Reconnecting to the sandbox terminal" });
      clearTimeout(this.#reattachTimer);
      this.#reattachTimer = setTimeout(() => void this.#ensureLink(false), this.#reattachDelayMs);
    } else {
      this.#setStatus({ phase: "exited", exitCode: result.exitCode, message: `Exited with code ${result.exitCode}` });
      this.#tools?.exited();
    }
  }

  #ptyEnv(): Record<string, string> {
    const env: Record<string, string> = { ...PTY_ENV };
    for (const name of ANTHROPIC_ENV_NAMES) {
      const value = this.env[name];
      if (value) env[name] = value;
    }
    return env;
  }

  #relay(data: Uint8Array): void {
    this.#touch();
    const offset = this.#output.append(data);
    this.#recordingTrim.advance(this.#output.end);
    try {
      this.#tools?.write(data, offset);
    } catch (error) {
      // The tool panel may miss a call; the terminal must not miss a byte.
      console.warn("tools.parse", { session: this.name, error: String(error) });
    }
  }

  #logBytes(): number {
    const configured = Number(this.env.OUTPUT_LOG_BYTES);
    return Number.isInteger(configured) && configured >= 1024 * 1024 ? configured : DEFAULT_LOG_BYTES;
  }

  async #input(connection: Connection<ConnectionState>, data: Uint8Array): Promise<void> {
    if (data.byteLength === 0) return;
    let bucket = this.#inputBuckets.get(connection.id);
    if (!bucket) this.#inputBuckets.set(connection.id, (bucket = new TokenBucket(INPUT_RATE_LIMIT)));
    if (!bucket.take(data.byteLength)) {
      return this.#sendError(connection, "rate_limited", "input dropped: more than 1 MiB/s; slow down");
    }
    const link = this.#link;
    // The terminal reports focus changes (Claude asks it to): not a person typing, so they wake nothing.
    const focusOnly = isFocusReport(data);
    if (!link?.open && focusOnly) return;
    if (!link?.open) {
      // Waking, or re-attaching after a dropped link (a flood): keep the keys, Ctrl-C above all.
      if (this.#status.phase === "asleep" || this.#linking || this.#linkDropped) return this.#queueInput(connection, data);
      void this.#ensureLink();
      const why = this.#status.phase === "exited" ? "the command has exited" : "the terminal is not ready yet";
      return this.#sendError(connection, "not_ready", `input dropped: ${why}`);
    }
    if (!focusOnly) this.#touch();
    if (!focusOnly && this.#lastInput !== connection.id) {
      this.#lastInput = connection.id;
      this.#broadcastPresence();
      const fits = connection.state?.fits;
      if (fits) this.#setSize(fits);
    }
    try {
      await link.sendInput(data);
    } catch (error) {
      this.#sendError(connection, "pty_unavailable", `input not delivered: ${errorMessage(error)}`);
    }
  }

  /**
   * Size policy: the PTY takes the size of the writer who typed most recently. A writer's resize is remembered
   * and applied at once when that writer is the most recently active one, or when nobody has typed yet.
   */
  #resize(connection: Connection<ConnectionState>, size: Extract<ClientMessage, { type: "resize" }>): void {
    const fits = { cols: size.cols, rows: size.rows };
    const state = connection.state;
    if (state) connection.setState({ ...state, fits });
    const active = this.#lastInput === null || this.#lastInput === connection.id || !this.#sockets.has(this.#lastInput);
    if (active) this.#setSize(fits);
    // Kept for later: the writer's terminal keeps the PTY's size meanwhile.
    else this.#send(connection, { type: "resize", ...this.#size });
  }

  #setSize(size: { cols: number; rows: number }): void {
    if (size.cols === this.#size.cols && size.rows === this.#size.rows) return;
    this.#size = size;
    this.#tools?.resize(size.cols, size.rows);
    this.#output.resized(size.cols, size.rows);
    this.#broadcast({ type: "resize", ...size });
    void this.ctx.storage.put("size", size);
    void this.#applySize();
  }

  /**
   * After re-attaching (a restarted room has no log of what is on screen), makes the program repaint:
   * a size change sends it SIGWINCH, and the second call settles on the session's size.
   */
  async #redraw(link: PtyLink): Promise<void> {
    const { cols, rows } = this.#size;
    try {
      await link.resize(cols > Limits.minCols ? cols - 1 : cols + 1, rows);
      await link.resize(cols, rows);
    } catch (error) {
      console.warn("pty.redraw", { session: this.name, error: String(error) });
    }
  }

  /** Sends the latest size to the PTY; resizes that arrive meanwhile collapse into one follow-up call. */
  async #applySize(): Promise<void> {
    if (this.#resizing) return;
    let applied: { cols: number; rows: number } | null = null;
    this.#resizing = (async () => {
      while (this.#link?.open && (applied?.cols !== this.#size.cols || applied?.rows !== this.#size.rows)) {
        applied = { ...this.#size };
        try {
          await this.#link.resize(applied.cols, applied.rows);
        } catch (error) {
          console.warn("pty.resize", { session: this.name, error: String(error) });
          return;
        }
      }
    })().finally(() => {
      this.#resizing = null;
    });
    return this.#resizing;
  }

  /** Runs the command again after it exited. */
  async #restart(connection: Connection): Promise<void> {
    if (this.#status.phase !== "exited") {
      return this.#sendError(connection, "not_ready", "restart refused: the command has not exited");
    }
    this.#setStatus({ phase: "connecting", message: "Restarting" });
    await this.#ensureLink();
  }

  // --- idle: let go of the PTY so the room can hibernate ---

  /** Output or input happened: the idle clock starts over. */
  #touch(): void {
    this.#lastActivity = Date.now();
    this.#idleTimer ??= setTimeout(() => this.#checkIdle(), this.#idleDetachMs());
  }

  #checkIdle(): void {
    this.#idleTimer = undefined;
    if (!this.#link?.open) return;
    const quietFor = Date.now() - this.#lastActivity;
    const busy = this.#tools?.state === "busy" || this.#tools?.state === "awaiting-permission";
    if (quietFor < this.#idleDetachMs() || busy) {
      this.#idleTimer = setTimeout(() => this.#checkIdle(), Math.max(1000, this.#idleDetachMs() - quietFor));
      return;
    }
    void this.#sleep();
  }

  /** Detaches from the PTY (it runs on in the sandbox, recorded) and stores everything a woken room needs. */
  async #sleep(): Promise<void> {
    const link = this.#link;
    if (!link) return;
    this.#link = null;
    this.#setStatus(asleepStatus());
    await Promise.all([link.close(), this.#output.flush(), this.ctx.storage.put(ASLEEP_KEY, true)]);
  }

  /** A keystroke while the PTY link is (re)opening or asleep: kept, and delivered once the PTY is attached again. */
  #queueInput(connection: Connection, data: Uint8Array): void {
    const queued = this.#pendingInput.reduce((sum, input) => sum + input.data.byteLength, 0);
    if (queued + data.byteLength > MAX_WAKING_INPUT_BYTES) {
      return this.#sendError(connection, "not_ready", "input dropped: the terminal is still waking up");
    }
    this.#pendingInput.push({ connectionId: connection.id, data });
    if (this.#status.phase === "asleep") this.#setStatus({ phase: "connecting", message: "Waking" });
    void this.#ensureLink();
  }

  #dropPendingInput(): void {
    for (const { connectionId } of this.#pendingInput.splice(0)) {
      const connection = this.#sockets.get(connectionId);
      if (connection) this.#sendError(connection, "not_ready", "input dropped: the terminal could not be reopened");
    }
  }

  #idleDetachMs(): number {
    const configured = Number(this.env.IDLE_DETACH_SECONDS);
    return (Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_IDLE_DETACH_S) * 1000;
  }

  // --- messages to clients ---

  #setStatus(status: SessionStatus): void {
    this.#status = status;
    this.#broadcast({ type: "status", ...status });
  }

  #presence(excludeId?: string): PresenceEntry[] {
    const clients: PresenceEntry[] = [];
    for (const connection of this.#sockets.values()) {
      const state = connection.state;
      if (state && connection.id !== excludeId) {
        clients.push({ id: connection.id, role: state.role, name: state.name, color: state.color });
      }
    }
    return clients;
  }

  #broadcastPresence(excludeId?: string): void {
    this.#broadcast({ type: "presence", clients: this.#presence(excludeId), lastInput: this.#lastInput }, excludeId);
  }

  #broadcast(message: ServerMessage, excludeId?: string): void {
    const encoded = encodeMessage(message);
    for (const connection of this.#sockets.values()) {
      if (connection.id !== excludeId) sendQuietly(connection, encoded);
    }
  }

  #send(connection: Connection, message: ServerMessage): void {
    sendQuietly(connection, encodeMessage(message));
  }

  #sendError(connection: Connection, code: ErrorCode, message: string): void {
    this.#send(connection, { type: "error", code, message });
  }

  #closeWith(connection: Connection, code: ErrorCode, message: string): void {
    this.#sendError(connection, code, message);
    connection.close(ErrorCodes[code].close, message);
  }
}

/** For Claude Code: continue the last conversation in the workspace, or start afresh when there is none. */
function continuingCommand(command: string): string {
  const [program, ...args] = command.trim().split(/\s+/);
  if (!program || !/(^|\/)claude$/.test(program) || args.includes("--continue")) return command;
  return `sh -c ${shellQuote(`${command} --continue || exec ${command}`)}`;
}

/** Whether input is only focus-in/focus-out reports (`ESC [ I`, `ESC [ O`), which a terminal sends by itself. */
function isFocusReport(data: Uint8Array): boolean {
  if (data.byteLength === 0 || data.byteLength % 3 !== 0) return false;
  for (let at = 0; at < data.byteLength; at += 3) {
    if (data[at] !== 0x1b || data[at + 1] !== 0x5b || (data[at + 2] !== 0x49 && data[at + 2] !== 0x4f)) return false;
  }
  return true;
}

function asleepStatus(): SessionStatus {
  return { phase: "asleep", message: "Idle: the terminal sleeps until someone types" };
}

function parseSince(value: string | null): number | null {
  if (value === null || !/^\d{1,16}$/.test(value)) return null;
  const offset = Number(value);
  return Number.isSafeInteger(offset) ? offset : null;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sendQuietly(connection: Connection, frame: string): void {
  try {
    connection.send(frame);
  } catch {
    // The socket is closing; its close handler cleans up.
  }
}
