// Client for the Worker's HTTP API v1 (same origin): create a session, exchange a link token for a ticket, describe a
// session, replace a share link, get the app preview.
import type { PresenceEntry, Role, SessionStatus } from "../parsers/protocol";
import { type Preview, PREVIEW_STATES } from "../snapshot/preview";

/** Roles a ticket may grant, as the API spells them. */
const ROLE_NAMES: readonly string[] = ["owner", "writer", "viewer"];

/** An HTTP error from the API, with the `error.code` from its JSON body when there is one. */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the request never got an answer (network down, timeout). */
    readonly status: number,
    /** The API's error code (`unauthorized`, `not_found`, …), or `network`/`bad_response`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The link's token or the session is no good: asking again with the same token cannot succeed. */
  get fatal(): boolean {
    return this.status === 401 || this.status === 403 || this.status === 404;
  }
}

export interface SessionLinks {
  owner: string;
  write: string;
  read: string;
}

export interface CreatedSession {
  id: string;
  links: SessionLinks;
}

export interface Ticket {
  ticket: string;
  role: Role;
  /** Seconds until the ticket expires. */
  expiresIn: number;
}

export interface SessionInfo {
  id: string;
  command: string;
  status: SessionStatus;
  offset: number;
  cols: number;
  rows: number;
  clients: PresenceEntry[];
}

/** How long one API request may take before it counts as failed, in milliseconds. */
const REQUEST_TIMEOUT_MS = 10_000;

export async function createSession(options: { command?: string; cols?: number; rows?: number }): Promise<CreatedSession> {
  const body = await call("/api/sessions", { method: "POST", json: options });
  if (!isRecord(body) || typeof body.id !== "string" || !isRecord(body.links)) throw badResponse("create session");
  const { owner, write, read } = body.links;
  if (typeof owner !== "string" || typeof write !== "string" || typeof read !== "string") throw badResponse("create session");
  return { id: body.id, links: { owner, write, read } };
}

/** A single-use ticket for one WebSocket; `name` is the display name others see ("" lets the server say "Guest"). */
export async function requestTicket(sessionId: string, token: string, name = ""): Promise<Ticket> {
  const body = await call(`/api/sessions/${encodeURIComponent(sessionId)}/tickets`, {
    method: "POST",
    token,
    json: { name },
  });
  if (
    !isRecord(body) ||
    typeof body.ticket !== "string" ||
    typeof body.role !== "string" ||
    !ROLE_NAMES.includes(body.role)
  ) {
    throw badResponse("ticket");
  }
  return {
    ticket: body.ticket,
    role: body.role as Role,
    expiresIn: typeof body.expiresIn === "number" ? body.expiresIn : 60,
  };
}

export async function describeSession(sessionId: string, token: string): Promise<SessionInfo> {
  const body = await call(`/api/sessions/${encodeURIComponent(sessionId)}`, { method: "GET", token });
  if (!isRecord(body) || typeof body.id !== "string" || typeof body.command !== "string") throw badResponse("session");
  return body as unknown as SessionInfo;
}

export type ShareLinkKind = "write" | "read";

/**
 * Owner only (`ownerToken`): replaces the write or read link. Its old token stops working at once and sockets
 * opened with it are closed. Resolves to the new link URL.
 */
export async function replaceLink(sessionId: string, ownerToken: string, link: ShareLinkKind): Promise<string> {
  const body = await call(`/api/sessions/${encodeURIComponent(sessionId)}/links`, {
    method: "POST",
    token: ownerToken,
    json: { link },
  });
  if (!isRecord(body) || body.link !== link || typeof body.url !== "string") throw badResponse("replace link");
  return body.url;
}

/** The preview of the session's app port: its signed URL and whether anything answers there yet. */
export async function getPreview(sessionId: string, token: string): Promise<Preview> {
  const body = await call(`/api/sessions/${encodeURIComponent(sessionId)}/preview`, { method: "GET", token });
  if (
    !isRecord(body) ||
    !(PREVIEW_STATES as readonly unknown[]).includes(body.state) ||
    typeof body.port !== "number" ||
    (body.url !== undefined && typeof body.url !== "string") ||
    (body.expiresAt !== undefined && typeof body.expiresAt !== "number")
  ) {
    throw badResponse("preview");
  }
  return {
    state: body.state as Preview["state"],
    port: body.port,
    ...(typeof body.url === "string" ? { url: body.url } : {}),
    ...(typeof body.expiresAt === "number" ? { expiresAt: body.expiresAt } : {}),
    ...(typeof body.message === "string" ? { message: body.message } : {}),
  };
}

async function call(path: string, options: { method: string; token?: string; json?: unknown }): Promise<unknown> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method,
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      cache: "no-store",
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    throw new ApiError(0, "network", timedOut ? "the server did not answer in time" : "the server is unreachable");
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // A body that is not JSON (a proxy's error page) is reported by status below.
  }
  if (!response.ok) {
    const error = isRecord(body) && isRecord(body.error) ? body.error : {};
    const code = typeof error.code === "string" ? error.code : `http_${response.status}`;
    const message = typeof error.message === "string" ? error.message : `HTTP ${response.status}`;
    throw new ApiError(response.status, code, message);
  }
  return body;
}

function badResponse(what: string): ApiError {
  return new ApiError(0, "bad_response", `unexpected ${what} response from the server`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
