// The local sandbox host: an HTTP server that routes /api, /toolbox and /preview requests and WebSocket upgrades.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { apiError, toHttpError } from "./api-errors";
import { apiRoutes } from "./api-routes";
import { hasBearer } from "./auth";
import { refuseUpgrade, requestUrl, sendError, sendJson, sendText } from "./http-io";
import { PREVIEW_PREFIX, PreviewProxy } from "./preview-proxy";
import { matchRoute, stripPrefix } from "./router";
import { SandboxControl } from "./sandbox-control";
import { resolveShell } from "./sandbox-shell";
import { SandboxRegistry } from "./sandboxes";
import { toolboxRoutes, toolboxSandbox } from "./toolbox-routes";
import { ToolboxSockets } from "./toolbox-ws";

export interface SandboxHostOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Folder for sandbox records and each sandbox's workspace and home. */
  dataDir: string;
  /** Login shell for PTYs, a name on PATH or a path. Default `bash`. */
  shell?: string;
  /** Directories put in front of PATH inside sandboxes (e.g. the project's node_modules/.bin). */
  extraPath?: string[];
  /** Whether started sandboxes run their app's dev server behind /preview. Default true. */
  devServers?: boolean;
}

export interface SandboxHost {
  /** The host's origin, e.g. `http://127.0.0.1:4100`. */
  url: string;
  /** What to pass as the SDK's `apiUrl`: `url + "/api"`. */
  apiUrl: string;
  port: number;
  /** Kills every PTY and closes the server. */
  close(): Promise<void>;
}

const API_PREFIX = "/api";
const TOOLBOX_PREFIX = "/toolbox";
/** The SDK's socket.io event stream lives here; a 404 makes the SDK fall back to polling. */
const SOCKET_IO_PREFIX = "/api/socket.io";
/** Largest request head accepted, in bytes: the envs subprotocol token alone may be 64 KiB. */
const MAX_HEADER_BYTES = 96 * 1024;

export async function startSandboxHost(options: SandboxHostOptions): Promise<SandboxHost> {
  const shell = await resolveShell(options.shell ?? "bash", process.env.PATH ?? "");
  const registry = await SandboxRegistry.open(options.dataDir);
  const control = new SandboxControl(registry, { shell, extraPath: options.extraPath ?? [] }, options.devServers ?? true);
  const sockets = new ToolboxSockets(control);
  const previews = new PreviewProxy(control);
  let baseUrl = "";

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (request, response) => {
    const url = requestUrl(request);
    const previewPath = stripPrefix(url.pathname, PREVIEW_PREFIX);
    if (previewPath !== null) previews.handleRequest(request, response, previewPath, url.search);
    else void handleRequest(control, baseUrl, request, response);
  });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const url = requestUrl(request);
    const toolboxPath = stripPrefix(url.pathname, TOOLBOX_PREFIX);
    const previewPath = stripPrefix(url.pathname, PREVIEW_PREFIX);
    if (toolboxPath !== null) sockets.handleUpgrade(request, socket, head, toolboxPath, url);
    else if (previewPath !== null) previews.handleUpgrade(request, socket, head, previewPath, url.search);
    else if (stripPrefix(url.pathname, SOCKET_IO_PREFIX) !== null) refuseUpgrade(socket, 404, "Not Found", "text/plain");
    else refuseUpgrade(socket, 404, apiError(404, `Cannot GET ${url.pathname}`).body);
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  const host = options.host ?? "127.0.0.1";
  await listen(server, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${urlHost(host)}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url: baseUrl,
    apiUrl: baseUrl + API_PREFIX,
    port,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        sockets.close();
        await control.close();
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}

async function handleRequest(
  control: SandboxControl,
  baseUrl: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const url = requestUrl(request);
    const method = request.method ?? "GET";
    if (stripPrefix(url.pathname, SOCKET_IO_PREFIX) !== null) {
      sendText(response, 404, "Not Found");
      return;
    }
    const apiPath = stripPrefix(url.pathname, API_PREFIX);
    if (apiPath !== null) {
      if (!hasBearer(request)) throw apiError(401, "Unauthorized");
      const match = matchRoute(apiRoutes, method, apiPath);
      if (!match) throw apiError(404, `Cannot ${method} ${url.pathname}`);
      const reply = await match.handler({ request, url, params: match.params, control, baseUrl });
      sendJson(response, reply.status, reply.body);
      return;
    }
    const toolboxPath = stripPrefix(url.pathname, TOOLBOX_PREFIX);
    const sandboxId = toolboxPath?.split("/")[1];
    if (toolboxPath !== null && sandboxId) {
      const match = matchRoute(toolboxRoutes, method, toolboxPath.slice(sandboxId.length + 1));
      const sandbox = toolboxSandbox(control, request, url, decodeSegment(sandboxId));
      if (!match) throw apiError(404, `Cannot ${method} ${url.pathname}`);
      const reply = await match.handler({ request, url, params: match.params, control, sandbox });
      sendJson(response, reply.status, reply.body);
      return;
    }
    throw apiError(404, `Cannot ${method} ${url.pathname}`);
  } catch (error) {
    const httpError = toHttpError(error);
    if (httpError.status >= 500) console.error("sandbox-host.request_failed", { url: request.url, error: String(error) });
    sendError(response, httpError);
    request.resume();
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw apiError(400, "Malformed path");
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** The host part of the URL clients use: loopback for a wildcard bind, brackets around IPv6. */
function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}
