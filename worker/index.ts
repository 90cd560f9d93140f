// The Worker: HTTP API v1 and the WebSocket door in front of each SessionRoom; static assets are served by the platform.
import { getServerByName } from "partyserver";
import { Limits, isSize } from "../parsers/protocol";
import { LINK_ROLES } from "./credentials";
import type { Env } from "./env";
import { bearerToken, errorResponse, json, readJsonBody } from "./http";
import { ROLE_HEADER, type Lookup, type SessionRoom } from "./session-room";

export { SessionRoom } from "./session-room";

/** Session ids are 20 lower-case hex digits: valid in sandbox names, and cheap to reject before any DO wakes. */
const SESSION_ID = /^[0-9a-f]{20}$/;
const MAX_CREATE_BODY_BYTES = 4096;
const MAX_COMMAND_LENGTH = 200;

const ROUTE = /^\/api\/sessions(?:\/([^/]+)(?:\/(tickets|ws))?)?$/;

export default {
  async fetch(request, env): Promise<Response> {
    const url = new URL(request.url);
    const match = ROUTE.exec(url.pathname);
    if (!match) return errorResponse("not_found", `no route for ${url.pathname}`);
    const [, id, action] = match;
    try {
      if (id === undefined) {
        return request.method === "POST" ? await createSession(request, env, url) : methodNotAllowed();
      }
      if (!SESSION_ID.test(id)) return errorResponse("not_found", "no such session");
      const room = await getServerByName(env.SessionRoom, id);
      switch (action) {
        case "tickets":
          return request.method === "POST" ? await issueTicket(request, room) : methodNotAllowed();
        case "ws":
          return await connect(request, env, url, room);
        default:
          return request.method === "GET" ? await describe(request, room) : methodNotAllowed();
      }
    } catch (error) {
      console.error("api.error", { path: url.pathname, error: String(error) });
      return errorResponse("internal", "internal error");
    }
  },
} satisfies ExportedHandler<Env>;

type Room = DurableObjectStub<SessionRoom>;

async function createSession(request: Request, env: Env, url: URL): Promise<Response> {
  const body = await readJsonBody(request, MAX_CREATE_BODY_BYTES);
  if (body instanceof Response) return body;
  const options = parseCreateOptions(body, env.DEFAULT_COMMAND ?? "claude");
  if (typeof options === "string") return errorResponse("bad_request", options);
  const id = randomSessionId();
  const room = await getServerByName(env.SessionRoom, id);
  const tokens = await room.initialize(options);
  if (!tokens) return errorResponse("internal", "session id collision; try again");
  const links = Object.fromEntries(
    Object.entries(LINK_ROLES).map(([link, role]) => [link, `${url.origin}/s/${id}#token=${tokens[role]}`]),
  );
  return json({ id, links }, 201);
}

function parseCreateOptions(body: unknown, defaultCommand: string): { command: string; cols: number; rows: number } | string {
  if (body === undefined) body = {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "body must be a JSON object";
  const { command = defaultCommand, cols = 120, rows = 32 } = body as Record<string, unknown>;
  if (typeof command !== "string" || command.length > MAX_COMMAND_LENGTH || /[\x00-\x1f\x7f]/.test(command)) {
    return `command must be a single-line string of at most ${MAX_COMMAND_LENGTH} characters`;
  }
  if (!isSize(cols, Limits.minCols, Limits.maxCols) || !isSize(rows, Limits.minRows, Limits.maxRows)) {
    return `cols must be an integer in ${Limits.minCols}..${Limits.maxCols} and rows in ${Limits.minRows}..${Limits.maxRows}`;
  }
  return { command: command.trim(), cols, rows };
}

async function issueTicket(request: Request, room: Room): Promise<Response> {
  const token = bearerToken(request);
  if (!token) return errorResponse("unauthorized", "send the link token as Authorization: Bearer <token>");
  return respond(await room.issueTicket(token));
}

async function describe(request: Request, room: Room): Promise<Response> {
  const token = bearerToken(request);
  if (!token) return errorResponse("unauthorized", "send the link token as Authorization: Bearer <token>");
  return respond(await room.describe(token));
}

/** Checks Origin and the ticket here, so only vetted upgrades reach the room, carrying the role the ticket granted. */
async function connect(request: Request, env: Env, url: URL, room: Room): Promise<Response> {
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return json({ error: { code: "bad_request", message: "expected a WebSocket upgrade" } }, 426);
  }
  if (!originAllowed(request.headers.get("origin"), url, env)) {
    return errorResponse("forbidden", "this origin may not open session sockets");
  }
  const ticket = url.searchParams.get("ticket");
  if (!ticket || ticket.length > 128) return errorResponse("unauthorized", "a ticket is required");
  const role = await room.redeemTicket(ticket);
  if (!role.ok) return errorResponse(role.code, role.code === "not_found" ? "no such session" : "invalid or used ticket");

  const forward = new URL("https://session-room/ws");
  const since = url.searchParams.get("since");
  if (since !== null) forward.searchParams.set("since", since);
  forward.searchParams.set("_pk", crypto.randomUUID()); // the client id is ours to choose, not the browser's
  return room.fetch(forward.toString(), {
    headers: { upgrade: "websocket", [ROLE_HEADER]: role.value },
  });
}

function originAllowed(origin: string | null, url: URL, env: Env): boolean {
  if (!origin) return false;
  if (origin === url.origin) return true;
  const extra = (env.ALLOWED_ORIGINS ?? "").split(",").map((entry) => entry.trim());
  return extra.includes(origin);
}

function respond<T>(result: Lookup<T>): Response {
  if (result.ok) return json(result.value);
  return errorResponse(result.code, result.code === "not_found" ? "no such session" : "invalid token");
}

function methodNotAllowed(): Response {
  return json({ error: { code: "bad_request", message: "method not allowed" } }, 405);
}

function randomSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
