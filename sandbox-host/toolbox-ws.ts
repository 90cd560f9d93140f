// The toolbox PTY WebSockets: create-connect and connect upgrades, with refusals before the upgrade and errors after.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { daemonError, toHttpError } from "./api-errors";
import { refuseUpgrade } from "./http-io";
import {
  CloseCode,
  DEFAULT_COLS,
  DEFAULT_ROWS,
  EXIT_CONTROL_SUBPROTOCOL,
  MAX_INPUT_MESSAGE_BYTES,
  decodeEnvsSubprotocol,
  errorFrame,
  offeredSubprotocols,
  parseTerminalSize,
  pickSubprotocol,
} from "./pty-protocol";
import type { PtySession, PtySessionSpec } from "./pty-session";
import { matchRoute, type Route } from "./router";
import type { SandboxControl } from "./sandbox-control";
import { resolveCwd } from "./sandbox-shell";
import type { SandboxRecord } from "./sandboxes";
import { toolboxSandbox } from "./toolbox-routes";

type UpgradeKind = "create-connect" | "connect";

/** Routes relative to `/toolbox`. */
const upgradeRoutes: readonly Route<UpgradeKind>[] = [
  { method: "GET", pattern: "/:sandboxId/process/pty/create-connect", handler: "create-connect" },
  { method: "GET", pattern: "/:sandboxId/process/pty/:sessionId/connect", handler: "connect" },
];

export class ToolboxSockets {
  readonly #wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_INPUT_MESSAGE_BYTES,
    handleProtocols: (offered) => pickSubprotocol(offered),
  });

  constructor(private readonly control: SandboxControl) {}

  /** Handles an upgrade under /toolbox; `path` is relative to it. Never throws: failures become HTTP or WS errors. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, path: string, url: URL): void {
    try {
      const match = matchRoute(upgradeRoutes, request.method ?? "GET", path);
      if (!match) throw daemonError(404, "Not Found");
      const sandbox = toolboxSandbox(this.control, request, url, match.params.sandboxId ?? "");
      const offered = offeredSubprotocols(request.headers["sec-websocket-protocol"]);
      const exitControl = offered.has(EXIT_CONTROL_SUBPROTOCOL);
      if (match.handler === "create-connect") {
        const spec = this.#createSpec(sandbox, url, offered);
        this.#wss.handleUpgrade(request, socket, head, (ws) => {
          void this.#createAndAttach(sandbox, spec, ws, exitControl);
        });
      } else {
        const sessionId = match.params.sessionId ?? "";
        this.#wss.handleUpgrade(request, socket, head, (ws) => {
          void this.#attach(sandbox, sessionId, ws, exitControl);
        });
      }
    } catch (error) {
      const httpError = toHttpError(error);
      refuseUpgrade(socket, httpError.status, httpError.body);
    }
  }

  /** Closes every socket this server accepted. */
  close(): void {
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
  }

  /** Validates a create-connect request before the upgrade: 400 on bad input, 409 when the id is taken. */
  #createSpec(sandbox: SandboxRecord, url: URL, offered: ReadonlySet<string>): PtySessionSpec {
    const id = url.searchParams.get("id");
    if (!id) throw daemonError(400, "session ID is required (query param 'id')");
    if (this.control.ptys.get(sandbox.id, id)) throw daemonError(409, `PTY session with ID '${id}' already exists`);
    return {
      id,
      cwd: resolveCwd(this.control.registry.paths(sandbox.id).workspace, url.searchParams.get("cwd")),
      envs: decodeEnvsSubprotocol(offered),
      cols: parseTerminalSize(url.searchParams.get("cols"), "cols", DEFAULT_COLS),
      rows: parseTerminalSize(url.searchParams.get("rows"), "rows", DEFAULT_ROWS),
      lazyStart: false,
    };
  }

  async #createAndAttach(sandbox: SandboxRecord, spec: PtySessionSpec, ws: WebSocket, exitControl: boolean): Promise<void> {
    let session: PtySession;
    try {
      session = this.control.ptys.create(sandbox.id, spec);
    } catch (error) {
      failSocket(ws, `Failed to create PTY session: ${toHttpError(error).message}`);
      return;
    }
    try {
      await session.start((launchSpec) => this.control.launch(sandbox, launchSpec));
    } catch (error) {
      this.control.ptys.kill(sandbox.id, spec.id);
      failSocket(ws, `Failed to start PTY session: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    session.attach(ws, exitControl);
  }

  async #attach(sandbox: SandboxRecord, sessionId: string, ws: WebSocket, exitControl: boolean): Promise<void> {
    const session = this.control.ptys.get(sandbox.id, sessionId);
    if (!session) {
      failSocket(ws, `Failed to connect to PTY session: PTY session ${sessionId} not found`);
      return;
    }
    try {
      await session.start((launchSpec) => this.control.launch(sandbox, launchSpec));
    } catch (error) {
      this.control.ptys.kill(sandbox.id, sessionId);
      failSocket(ws, `Failed to connect to PTY session: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (session.isEnded) {
      failSocket(ws, `Failed to connect to PTY session: PTY session '${sessionId}' has terminated and is no longer available`);
      return;
    }
    session.attach(ws, exitControl);
  }
}

/** Sends the `error` control frame, then closes without an exit code (the SDK reports the frame's message). */
function failSocket(ws: WebSocket, message: string): void {
  try {
    ws.send(errorFrame(message));
    ws.close(CloseCode.internalError);
  } catch {
    ws.terminate();
  }
}
