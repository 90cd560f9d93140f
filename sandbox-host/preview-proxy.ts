// The preview route `/preview/{sandboxId}/{port}/…`: proxies HTTP and WebSockets (Vite's HMR) to a sandbox's dev server.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import { PREVIEW_PORT, UNAVAILABLE_HEADER } from "../snapshot/preview";
import { refuseUpgrade } from "./http-io";
import type { SandboxControl } from "./sandbox-control";

export const PREVIEW_PREFIX = "/preview";

/** The path a sandbox port is previewed under; the dev server is told to serve the app there (Vite's `base`). */
export function previewPath(sandboxId: string, port: number): string {
  return `${PREVIEW_PREFIX}/${encodeURIComponent(sandboxId)}/${port}/`;
}

type Target = { port: number } | { status: number; title: string; detail: string } | { redirect: string };

export class PreviewProxy {
  constructor(private readonly control: SandboxControl) {}

  /** `path` is the request path after PREVIEW_PREFIX; the dev server gets the full original URL (it knows its base). */
  handleRequest(request: IncomingMessage, response: ServerResponse, path: string, search: string): void {
    const target = this.#resolve(path, search);
    if ("redirect" in target) {
      response.writeHead(308, { location: target.redirect, "content-length": 0 });
      response.end();
      return;
    }
    if (!("port" in target)) return sendPage(response, target);
    const upstream = httpRequest(
      { host: "127.0.0.1", port: target.port, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.once("error", () => {
      if (response.headersSent) response.destroy();
      else sendPage(response, notListening(PREVIEW_PORT));
    });
    // A browser that goes away mid-answer releases the dev server's side too.
    response.once("close", () => {
      if (!response.writableFinished) upstream.destroy();
    });
    request.pipe(upstream);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, path: string, search: string): void {
    const target = this.#resolve(path, search);
    if ("redirect" in target) return refuseUpgrade(socket, 404, "Not Found", "text/plain");
    if (!("port" in target)) return refuseUpgrade(socket, target.status, target.title, "text/plain");
    const upstream = connect(target.port, "127.0.0.1", () => {
      const headers: string[] = [];
      for (let i = 0; i < request.rawHeaders.length; i += 2) headers.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
      upstream.write(`${request.method} ${request.url} HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n`);
      if (head.byteLength > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.once("error", () => {
      if (socket.writable && upstream.bytesRead === 0) refuseUpgrade(socket, 502, "Bad Gateway", "text/plain");
      else socket.destroy();
    });
    socket.once("error", () => upstream.destroy());
    socket.once("close", () => upstream.destroy());
  }

  #resolve(path: string, search: string): Target {
    const match = /^\/([^/]+)\/(\d{1,5})(\/.*)?$/.exec(path);
    if (!match) return { status: 404, title: "No such preview", detail: "Preview URLs look like /preview/<sandbox>/<port>/." };
    const [, rawId, rawPort, rest] = match;
    const sandboxId = safeDecode(rawId!);
    const record = sandboxId === null ? undefined : this.control.registry.find(sandboxId);
    if (!record || record.id !== sandboxId) return { status: 404, title: "No such sandbox", detail: "This sandbox does not exist." };
    const port = Number(rawPort);
    if (rest === undefined) return { redirect: `${previewPath(record.id, port)}${search}` };
    if (record.state !== "started") {
      return { status: 502, title: "The sandbox is stopped", detail: "Open its terminal to start it again." };
    }
    if (port !== PREVIEW_PORT) return notListening(port);
    const devPort = this.control.devServers.port(record.id);
    return devPort === undefined ? notListening(port) : { port: devPort };
  }
}

function notListening(port: number): { status: number; title: string; detail: string } {
  return {
    status: 502,
    title: `Nothing is listening on port ${port} yet`,
    detail: `Start the app's dev server on port ${port} in the sandbox; this page shows it once it answers.`,
  };
}

function sendPage(response: ServerResponse, page: { status: number; title: string; detail: string }): void {
  const html = `<!doctype html><meta charset="utf-8"><title>${page.title}</title>
<body style="font-family:system-ui,sans-serif;margin:2rem;color:#444"><h1 style="font-size:1.2rem">${page.title}</h1><p>${page.detail}</p></body>\n`;
  response.writeHead(page.status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    "cache-control": "no-store",
    [UNAVAILABLE_HEADER]: "unavailable",
  });
  response.end(html);
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
