// The Worker: HTTP API v1 and the WebSocket door in front of each SessionRoom; static assets are served by the platform.
import { getServerByName } from "partyserver";
import { isSize, Limits, type Role } from "../parsers/protocol";
import type { Env } from "./env";
import { bearerToken, errorResponse, json, readJsonBody } from "./http";
import { checkOperator } from "./operator-auth";
import { cleanName } from "./presence";
import { FORWARDED, type Lookup, type SessionRoom } from "./session-room";
import { type LinkClaims, LINK_TTL_S, randomNonce, TICKET_TTL_S, TokenSigner } from "./signed-tokens";

export { SessionRoom } from "./session-room";

/** Session ids are 20 lower-case hex digits: valid in sandbox names, and cheap to reject before any DO wakes. */
const SESSION_ID = /^[0-9a-f]{20}$/;
const MAX_BODY_BYTES = 4096;
const MAX_COMMAND_LENGTH = 200;
/** Link names in the API, and the role each grants. */
const LINKS = { owner: "owner", write: "writer", read: "viewer" } as const satisfies Record<string, Role>;
type LinkName = keyof typeof LINKS;

const ROUTE = /^\/api\/sessions(?:\/([^/]+)(?:\/(tickets|ws|links|preview))?)?$/;

type Room = DurableObjectStub<SessionRoom>;

export default {
  async fetch(request, env): Promise<Response> {
    const url = new URL(request.url);
    const match = ROUTE.exec(url.pathname);
    if (!match) return errorResponse("not_found", `no route for ${url.pathname}`);
    const [, id, action] = match;
    try {
      const signer = await TokenSigner.fromSecret(env.LINK_SIGNING_KEY);
      if (id === undefined) {
        return request.method === "POST" ? await createSession(request, env, url, signer) : methodNotAllowed();
      }
      if (!SESSION_ID.test(id)) return errorResponse("not_found", "no such session");
      const api = new SessionApi(id, signer, () => getServerByName(env.SessionRoom, id));
      switch (action) {
        case "tickets":
          return request.method === "POST" ? await api.issueTicket(request) : methodNotAllowed();
        case "links":
          return request.method === "POST" ? await api.rotateLink(request, url) : methodNotAllowed();
        case "ws":
          return await api.connect(request, url, env);
        case "preview":
          return request.method === "GET" ? await api.preview(request) : methodNotAllowed();
        default:
          return request.method === "GET" ? await api.describe(request) : methodNotAllowed();
      }
    } catch (error) {
      // Never log the request's headers or query: they carry tokens and tickets.
      console.error("api.error", { path: url.pathname, error: String(error) });
      return errorResponse("internal", "internal error");
    }
  },
} satisfies ExportedHandler<Env>;

async function createSession(request: Request, env: Env, url: URL, signer: TokenSigner): Promise<Response> {
  const operator = await checkOperator(request, env);
  if (!operator.ok) return errorResponse("unauthorized", operator.message);
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  if (body instanceof Response) return body;
  const options = parseCreateOptions(body, env.DEFAULT_COMMAND || "claude");
  if (typeof options === "string") return errorResponse("bad_request", options);
  const id = randomSessionId();
  const room = await getServerByName(env.SessionRoom, id);
  const generations = await room.initialize(options);
  if (!generations) return errorResponse("internal", "session id collision; try again");
  const links: Record<string, string> = {};
  for (const [link, role] of Object.entries(LINKS)) {
    links[link] = await signLink(signer, url, id, role, generations[role]);
  }
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

/** The routes of one session. Every check that needs no session state runs here, before the room wakes. */
class SessionApi {
  #room: Room | null = null;

  constructor(
    readonly id: string,
    private readonly signer: TokenSigner,
    private readonly openRoom: () => Promise<Room>,
  ) {}

  async issueTicket(request: Request): Promise<Response> {
    const link = await this.#verifyLink(request);
    if (link instanceof Response) return link;
    const body = await readJsonBody(request, MAX_BODY_BYTES);
    if (body instanceof Response) return body;
    const checked = await (await this.#openRoom()).checkLink(link.role, link.generation);
    if (!checked.ok) return lookupError(checked);
    const ticket = await this.signer.sign({
      kind: "ticket",
      session: this.id,
      role: link.role,
      generation: link.generation,
      nonce: randomNonce(),
      expires: Math.floor(Date.now() / 1000) + TICKET_TTL_S,
      name: cleanName(isRecord(body) ? body.name : undefined),
    });
    return json({ ticket, role: link.role, expiresIn: TICKET_TTL_S });
  }

  async describe(request: Request): Promise<Response> {
    const link = await this.#verifyLink(request);
    if (link instanceof Response) return link;
    return respond(await (await this.#openRoom()).describe(link.role, link.generation));
  }

  /** Any role: the signed URL of the sandbox's app port and whether it answers yet. */
  async preview(request: Request): Promise<Response> {
    const link = await this.#verifyLink(request);
    if (link instanceof Response) return link;
    return respond(await (await this.#openRoom()).preview(link.role, link.generation));
  }

  /** Owner only: replaces the write or read link (old ones stop working at once) and returns the new one. */
  async rotateLink(request: Request, url: URL): Promise<Response> {
    const link = await this.#verifyLink(request);
    if (link instanceof Response) return link;
    if (link.role !== "owner") return errorResponse("forbidden", "only the owner link can replace links");
    const body = await readJsonBody(request, MAX_BODY_BYTES);
    if (body instanceof Response) return body;
    const name = isRecord(body) ? body.link : undefined;
    if (name !== "write" && name !== "read") return errorResponse("bad_request", 'body must be { "link": "write" | "read" }');
    const role = LINKS[name as LinkName] as Exclude<Role, "owner">;
    const room = await this.#openRoom();
    const checked = await room.checkLink(link.role, link.generation);
    if (!checked.ok) return lookupError(checked);
    const generation = await room.rotateLink(role);
    if (!generation.ok) return lookupError(generation);
    return json({ link: name, url: await signLink(this.signer, url, this.id, role, generation.value) });
  }

  /** Checks Origin and the ticket's signature here; the room then checks it is unused and its link still current. */
  async connect(request: Request, url: URL, env: Env): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return json({ error: { code: "bad_request", message: "expected a WebSocket upgrade" } }, 426);
    }
    if (!originAllowed(request.headers.get("origin"), url, env)) {
      return errorResponse("forbidden", "this origin may not open session sockets");
    }
    const verified = await this.signer.verify(url.searchParams.get("ticket") ?? "", "ticket", this.id);
    if (!verified.ok) return errorResponse("unauthorized", `ticket refused (${verified.reason})`);
    const ticket = verified.claims;
    const room = await this.#openRoom();
    const redeemed = await room.redeemTicket(ticket);
    if (!redeemed.ok) return redeemed.code === "not_found" ? lookupError(redeemed) : errorResponse("unauthorized", "ticket used or link revoked");

    const forward = new URL("https://session-room/ws");
    const since = url.searchParams.get("since");
    if (since !== null) forward.searchParams.set("since", since);
    forward.searchParams.set("_pk", crypto.randomUUID()); // the client id is ours to choose, not the browser's
    const upgraded = await room.fetch(forward.toString(), {
      headers: {
        upgrade: "websocket",
        [FORWARDED.role]: ticket.role,
        [FORWARDED.generation]: String(ticket.generation),
        [FORWARDED.name]: encodeURIComponent(ticket.name),
      },
    });
    return upgraded.webSocket ? uncompressed(upgraded.webSocket) : upgraded;
  }

  async #verifyLink(request: Request): Promise<LinkClaims | Response> {
    const token = bearerToken(request);
    if (!token) return errorResponse("unauthorized", "send the link token as Authorization: Bearer <token>");
    const verified = await this.signer.verify(token, "link", this.id);
    return verified.ok ? verified.claims : errorResponse("unauthorized", `link refused (${verified.reason})`);
  }

  async #openRoom(): Promise<Room> {
    this.#room ??= await this.openRoom();
    return this.#room;
  }
}

async function signLink(signer: TokenSigner, url: URL, id: string, role: Role, generation: number): Promise<string> {
  const token = await signer.sign({
    kind: "link",
    session: id,
    role,
    generation,
    expires: Math.floor(Date.now() / 1000) + LINK_TTL_S,
  });
  return `${url.origin}/s/${id}#token=${token}`;
}

/**
 * The browser's socket, answered so that the runtime agrees to no extension: terminal output is relayed uncompressed
 * (deflating it costs the room far more CPU than it saves on loopback and fast links; docs/benchmarks.md). Browsers
 * always offer permessage-deflate. workerd negotiates it from the offer unless the response names the extensions
 * itself; one it does not know leaves none agreed. `wrangler dev` answers browsers from an entry worker of its own,
 * so a compatibility flag of ours could not do this there.
 */
function uncompressed(webSocket: WebSocket): Response {
  return new Response(null, { status: 101, webSocket, headers: { "Sec-WebSocket-Extensions": "x-nightona-uncompressed" } });
}

function originAllowed(origin: string | null, url: URL, env: Env): boolean {
  if (!origin) return false;
  if (origin === url.origin) return true;
  const extra = (env.ALLOWED_ORIGINS ?? "").split(",").map((entry) => entry.trim());
  return extra.includes(origin);
}

function respond<T>(result: Lookup<T>): Response {
  return result.ok ? json(result.value) : lookupError(result);
}

function lookupError(result: { code: "not_found" | "unauthorized" }): Response {
  return errorResponse(result.code, result.code === "not_found" ? "no such session" : "this link was revoked");
}

function methodNotAllowed(): Response {
  return json({ error: { code: "bad_request", message: "method not allowed" } }, 405);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function randomSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
