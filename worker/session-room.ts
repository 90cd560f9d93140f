// SessionRoom: one Durable Object per session; relays its sandbox PTY to every attached browser socket.
import { type Connection, type ConnectionContext, Server, type WSMessage } from "partyserver";
import {
  type ClientMessage,
  canWrite,
  decodeClientFrame,
  encodeMessage,
  encodeOutput,
  type ErrorCode,
  ErrorCodes,
  Limits,
  PROTOCOL_VERSION,
  type Role,
  ROLES,
  type ServerMessage,
  type SessionStatus,
} from "../parsers/protocol";
import { newRoleTokens, randomToken, type RoleTokens, roleForToken, TICKET_TTL_MS } from "./credentials";
import { ANTHROPIC_ENV_NAMES, type Env } from "./env";
import { OutputLog } from "./output-log";
import { PtyLink } from "./pty-link";

/** Header the Worker sets on a WebSocket it forwards, after redeeming the ticket; never taken from a browser. */
export const ROLE_HEADER = "x-nightona-role";
/** Largest output frame sent when replaying the log to a joining client. */
const REPLAY_FRAME_BYTES = 256 * 1024;
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
  tokens: RoleTokens;
}

export interface SessionDescription {
  id: string;
  command: string;
  status: SessionStatus;
  offset: number;
  cols: number;
  rows: number;
  clients: Array<{ id: string; role: Role }>;
}

export type Lookup<T> = { ok: true; value: T } | { ok: false; code: Extract<ErrorCode, "not_found" | "unauthorized"> };

interface ConnectionState {
  role: Role;
}

interface StoredTicket {
  role: Role;
  expiresAt: number;
}

export class SessionRoom extends Server<Env> {
  static override options = { hibernate: true };

  #config: SessionConfig | null = null;
  #log = new OutputLog();
  #status: SessionStatus = { phase: "provisioning", message: "Waiting for the first client" };
  #link: PtyLink | null = null;
  #linking: Promise<void> | null = null;
  #size = { cols: 80, rows: 24 };
  #resizing: Promise<void> | null = null;

  override async onStart(): Promise<void> {
    this.#config = (await this.ctx.storage.get<SessionConfig>("config")) ?? null;
    if (this.#config) this.#size = { cols: this.#config.cols, rows: this.#config.rows };
  }

  // --- RPC from the Worker ---

  /** Stores a new session's configuration and returns its role tokens. Refuses a second initialization. */
  async initialize(options: { command: string; cols: number; rows: number }): Promise<RoleTokens | null> {
    if (this.#config) return null;
    const config: SessionConfig = { ...options, tokens: newRoleTokens() };
    await this.ctx.storage.put("config", config);
    this.#config = config;
    this.#size = { cols: config.cols, rows: config.rows };
    return config.tokens;
  }

  /** Exchanges a link token for a single-use WebSocket ticket. */
  async issueTicket(token: string): Promise<Lookup<{ ticket: string; role: Role; expiresIn: number }>> {
    const role = this.#roleFor(token);
    if (!role.ok) return role;
    const ticket = randomToken();
    const now = Date.now();
    await this.#pruneTickets(now);
    await this.ctx.storage.put<StoredTicket>(`ticket:${ticket}`, { role: role.value, expiresAt: now + TICKET_TTL_MS });
    return { ok: true, value: { ticket, role: role.value, expiresIn: TICKET_TTL_MS / 1000 } };
  }

  /** Consumes a ticket: the role it grants, once, before it expires. */
  async redeemTicket(ticket: string): Promise<Lookup<Role>> {
    if (!this.#config) return { ok: false, code: "not_found" };
    const key = `ticket:${ticket}`;
    const stored = await this.ctx.storage.get<StoredTicket>(key);
    if (!stored) return { ok: false, code: "unauthorized" };
    await this.ctx.storage.delete(key);
    if (stored.expiresAt < Date.now()) return { ok: false, code: "unauthorized" };
    return { ok: true, value: stored.role };
  }

  async describe(token: string): Promise<Lookup<SessionDescription>> {
    const role = this.#roleFor(token);
    if (!role.ok) return role;
    return {
      ok: true,
      value: {
        id: this.name,
        command: this.#config!.command,
        status: this.#status,
        offset: this.#log.end,
        ...this.#size,
        clients: this.#presence(),
      },
    };
  }

  // --- browser sockets ---

  override getConnectionTags(_connection: Connection, context: ConnectionContext): string[] {
    const role = context.request.headers.get(ROLE_HEADER);
    return role && (ROLES as readonly string[]).includes(role) ? [role] : [];
  }

  override onConnect(connection: Connection<ConnectionState>, context: ConnectionContext): void {
    const role = ROLES.find((candidate) => connection.tags.includes(candidate));
    if (!this.#config || !role) {
      // The Worker only forwards redeemed tickets; anything else is a bug or a bypass attempt.
      this.#closeWith(connection, "unauthorized", "connect through /api/sessions/:id/ws with a ticket");
      return;
    }
    connection.setState({ role });
    this.#send(connection, {
      type: "hello",
      version: PROTOCOL_VERSION,
      role,
      clientId: connection.id,
      offset: this.#log.end,
      ...this.#size,
      status: this.#status,
    });
    this.#replay(connection, parseSince(new URL(context.request.url).searchParams.get("since")));
    this.#broadcastPresence();
    void this.#ensureLink();
  }

  override async onMessage(connection: Connection<ConnectionState>, message: WSMessage): Promise<void> {
    const decoded = decodeClientFrame(message);
    if (!decoded.ok) return this.#sendError(connection, decoded.code, decoded.message);
    const role = connection.state?.role;
    if (!role || !canWrite(role)) {
      return this.#sendError(connection, "read_only", "this link is read-only: input and resize are refused");
    }
    const frame = decoded.value;
    switch (frame.type) {
      case "input":
        return this.#input(connection, frame.data);
      case "resize":
        return this.#resize(frame);
      default:
        frame satisfies never;
    }
  }

  override onClose(connection: Connection): void {
    this.#broadcastPresence(connection.id);
  }

  override onError(connection: Connection, error: unknown): void {
    console.warn("socket.error", { session: this.name, client: connection.id, error: String(error) });
  }

  // --- the PTY link ---

  async #ensureLink(): Promise<void> {
    if (this.#link?.open || !this.#config) return;
    if (this.#status.phase === "exited") return;
    this.#linking ??= this.#openLink().finally(() => {
      this.#linking = null;
    });
    return this.#linking;
  }

  async #openLink(): Promise<void> {
    const config = this.#config!;
    try {
      const link = await PtyLink.open(
        {
          sessionId: this.name,
          apiUrl: this.env.DAYTONA_API_URL,
          apiKey: this.env.DAYTONA_API_KEY,
          target: this.env.DAYTONA_TARGET,
          snapshot: this.env.DAYTONA_SNAPSHOT,
          envs: this.#ptyEnv(),
          command: config.command,
          ...this.#size,
        },
        {
          onProgress: (message) =>
            this.#setStatus({ phase: message === "Opening terminal" ? "connecting" : "provisioning", message }),
          onData: (data) => this.#relay(data),
          onClose: (result) => this.#linkClosed(result),
        },
      );
      this.#link = link;
      this.#setStatus({ phase: "running" });
      if (link.origin === "attached") await this.#redraw(link);
    } catch (error) {
      console.error("pty.open", { session: this.name, error: String(error) });
      this.#setStatus({ phase: "error", message: `Could not open the sandbox terminal: ${errorMessage(error)}` });
    }
  }

  #linkClosed(result: { exitCode?: number; reason?: string }): void {
    this.#link = null;
    if (result.exitCode === undefined) {
      this.#setStatus({
        phase: "disconnected",
        message: "Lost the sandbox terminal (the sandbox stopped or the link dropped); the next keystroke reconnects",
      });
    } else {
      this.#setStatus({ phase: "exited", exitCode: result.exitCode, message: `Exited with code ${result.exitCode}` });
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
    const offset = this.#log.append(data);
    this.broadcast(encodeOutput(offset, data));
  }

  async #input(connection: Connection, data: Uint8Array): Promise<void> {
    const link = this.#link;
    if (!link?.open) {
      void this.#ensureLink();
      const why = this.#status.phase === "exited" ? "the command has exited" : "the terminal is not ready yet";
      return this.#sendError(connection, "not_ready", `input dropped: ${why}`);
    }
    try {
      await link.sendInput(data);
    } catch (error) {
      this.#sendError(connection, "pty_unavailable", `input not delivered: ${errorMessage(error)}`);
    }
  }

  #resize(size: Extract<ClientMessage, { type: "resize" }>): void {
    if (size.cols === this.#size.cols && size.rows === this.#size.rows) return;
    this.#size = { cols: size.cols, rows: size.rows };
    this.#broadcast({ type: "resize", ...this.#size });
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

  // --- messages to clients ---

  #replay(connection: Connection, since: number | null): void {
    if (since !== null && !this.#log.has(since)) this.#send(connection, { type: "reset", offset: this.#log.start });
    const from = since !== null && this.#log.has(since) ? since : this.#log.start;
    for (const chunk of this.#log.joined(from, REPLAY_FRAME_BYTES)) {
      connection.send(encodeOutput(chunk.offset, chunk.data));
    }
  }

  #setStatus(status: SessionStatus): void {
    this.#status = status;
    this.#broadcast({ type: "status", ...status });
  }

  #presence(excludeId?: string): Array<{ id: string; role: Role }> {
    const clients: Array<{ id: string; role: Role }> = [];
    for (const connection of this.getConnections<ConnectionState>()) {
      const role = connection.state?.role;
      if (role && connection.id !== excludeId) clients.push({ id: connection.id, role });
    }
    return clients;
  }

  #broadcastPresence(excludeId?: string): void {
    this.#broadcast({ type: "presence", clients: this.#presence(excludeId) }, excludeId);
  }

  #broadcast(message: ServerMessage, excludeId?: string): void {
    this.broadcast(encodeMessage(message), excludeId ? [excludeId] : undefined);
  }

  #send(connection: Connection, message: ServerMessage): void {
    try {
      connection.send(encodeMessage(message));
    } catch {
      // The socket is closing; its close handler cleans up.
    }
  }

  #sendError(connection: Connection, code: ErrorCode, message: string): void {
    this.#send(connection, { type: "error", code, message });
  }

  #closeWith(connection: Connection, code: ErrorCode, message: string): void {
    this.#sendError(connection, code, message);
    connection.close(ErrorCodes[code].close, message);
  }

  #roleFor(token: string): Lookup<Role> {
    if (!this.#config) return { ok: false, code: "not_found" };
    const role = roleForToken(this.#config.tokens, token);
    return role ? { ok: true, value: role } : { ok: false, code: "unauthorized" };
  }

  async #pruneTickets(now: number): Promise<void> {
    const tickets = await this.ctx.storage.list<StoredTicket>({ prefix: "ticket:" });
    const expired = [...tickets].filter(([, stored]) => stored.expiresAt < now).map(([key]) => key);
    // The storage API deletes at most 128 keys per call.
    for (let at = 0; at < expired.length; at += 128) await this.ctx.storage.delete(expired.slice(at, at + 128));
  }
}

function parseSince(value: string | null): number | null {
  if (value === null || !/^\d{1,16}$/.test(value)) return null;
  const offset = Number(value);
  return Number.isSafeInteger(offset) ? offset : null;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
