// The toolbox REST API under /toolbox/{sandboxId}: PTY session list, info, create, resize and kill; command execution.
import type { IncomingMessage } from "node:http";
import { apiError, daemonError, sandboxNotStartedError } from "./api-errors";
import type { ApiReply } from "./api-routes";
import { AUTH_QUERY_PARAM, PREVIEW_TOKEN_HEADER, hasBearer, mayAccessSandbox } from "./auth";
import { readJsonObject } from "./http-io";
import { DEFAULT_COLS, DEFAULT_ROWS, parseTerminalSize, validateEnvs } from "./pty-protocol";
import { executeCommand } from "./process-execute";
import type { Route, RouteParams } from "./router";
import type { SandboxControl } from "./sandbox-control";
import { resolveCwd } from "./sandbox-shell";
import type { SandboxRecord } from "./sandboxes";

export interface ToolboxRequest {
  request: IncomingMessage;
  url: URL;
  params: RouteParams;
  control: SandboxControl;
  sandbox: SandboxRecord;
}

export type ToolboxHandler = (request: ToolboxRequest) => Promise<ApiReply>;

/** Routes relative to `/toolbox/{sandboxId}`. */
export const toolboxRoutes: readonly Route<ToolboxHandler>[] = [
  { method: "GET", pattern: "/process/pty", handler: listSessions },
  { method: "POST", pattern: "/process/pty", handler: createSession },
  { method: "GET", pattern: "/process/pty/:sessionId", handler: sessionInfo },
  { method: "DELETE", pattern: "/process/pty/:sessionId", handler: killSession },
  { method: "POST", pattern: "/process/pty/:sessionId/resize", handler: resizeSession },
  { method: "POST", pattern: "/process/execute", handler: executeCommand },
];

/**
 * Finds the sandbox a toolbox call targets and checks the caller may use it and that it runs,
 * answering as Daytona's proxy does: 401, 404, or 400 "… Is the Sandbox started?".
 */
export function toolboxSandbox(control: SandboxControl, request: IncomingMessage, url: URL, sandboxId: string): SandboxRecord {
  const offersCredential =
    hasBearer(request) || url.searchParams.has(AUTH_QUERY_PARAM) || request.headers[PREVIEW_TOKEN_HEADER] !== undefined;
  if (!offersCredential) throw apiError(401, "Unauthorized");
  const record = control.registry.find(sandboxId);
  if (!record) throw apiError(404, `Sandbox ${sandboxId} not found`);
  if (!mayAccessSandbox(request, url, record.token)) throw apiError(401, "Unauthorized");
  if (record.state !== "started") throw sandboxNotStartedError(record.id, record.state);
  return record;
}

async function listSessions(r: ToolboxRequest): Promise<ApiReply> {
  return { status: 200, body: { sessions: r.control.ptys.list(r.sandbox.id).map((session) => session.info()) } };
}

async function createSession(r: ToolboxRequest): Promise<ApiReply> {
  const body = await readJsonObject(r.request);
  const id = body.id;
  if (typeof id !== "string" || id === "") throw daemonError(400, "session ID is required");
  if (r.control.ptys.get(r.sandbox.id, id)) throw daemonError(409, `PTY session with ID '${id}' already exists`);
  const cwd = body.cwd;
  if (cwd !== undefined && cwd !== null && typeof cwd !== "string") throw daemonError(400, "cwd must be a string");
  const lazyStart = body.lazyStart === true;
  const session = r.control.ptys.create(r.sandbox.id, {
    id,
    cwd: resolveCwd(r.control.registry.paths(r.sandbox.id).workspace, cwd),
    envs: body.envs === undefined || body.envs === null ? {} : validateEnvs(body.envs, "invalid envs"),
    cols: parseTerminalSize(body.cols, "cols", DEFAULT_COLS),
    rows: parseTerminalSize(body.rows, "rows", DEFAULT_ROWS),
    lazyStart,
  });
  if (!lazyStart) {
    try {
      await session.start((spec) => r.control.launch(r.sandbox, spec));
    } catch (error) {
      r.control.ptys.kill(r.sandbox.id, id);
      console.error("sandbox-host.pty_start_failed", { sandbox: r.sandbox.id, session: id, error: String(error) });
      throw daemonError(500, "failed to start PTY session");
    }
  }
  return { status: 201, body: { sessionId: id } };
}

async function sessionInfo(r: ToolboxRequest): Promise<ApiReply> {
  const session = r.control.ptys.get(r.sandbox.id, r.params.sessionId ?? "");
  if (!session) throw daemonError(404, "PTY session not found");
  return { status: 200, body: session.info() };
}

async function killSession(r: ToolboxRequest): Promise<ApiReply> {
  if (!r.control.ptys.kill(r.sandbox.id, r.params.sessionId ?? "")) throw daemonError(404, "PTY session not found");
  return { status: 200, body: { message: "PTY session deleted" } };
}

async function resizeSession(r: ToolboxRequest): Promise<ApiReply> {
  const body = await readJsonObject(r.request);
  const cols = parseTerminalSize(body.cols ?? "", "cols", 0);
  const rows = parseTerminalSize(body.rows ?? "", "rows", 0);
  if (cols === 0 || rows === 0) throw daemonError(400, "cols and rows are required");
  const id = r.params.sessionId ?? "";
  const session = r.control.ptys.get(r.sandbox.id, id);
  if (!session || (!session.active && !session.spec.lazyStart)) {
    throw daemonError(410, `PTY session ${id} not found or no longer active`);
  }
  try {
    session.resize(cols, rows);
  } catch (error) {
    throw daemonError(500, `resize failed: ${String(error)}`);
  }
  return { status: 200, body: session.info() };
}
