// Reading and writing HTTP on Node's raw request, response and upgrade socket: JSON bodies, JSON replies, refusals.
import type { IncomingMessage, ServerResponse } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { apiError, type HttpError } from "./api-errors";

/** Largest request body the host reads, in bytes; the SDK's bodies are a few hundred bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a JSON body; an empty body reads as `undefined`. Throws a 400/413 HttpError on bad input. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.byteLength;
    if (size > MAX_BODY_BYTES) throw apiError(413, `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw apiError(400, "Request body is not valid JSON");
  }
}

/** Reads a JSON body that must be an object (or empty, which reads as `{}`). */
export async function readJsonObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readJsonBody(request);
  if (body === undefined) return {};
  if (!isRecord(body)) throw apiError(400, "Request body must be a JSON object");
  return body;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const text = body === undefined ? "" : JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  response.end(text);
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

export function sendError(response: ServerResponse, error: HttpError): void {
  sendJson(response, error.status, error.body);
}

/** Answers an upgrade request with a plain HTTP response (no WebSocket) and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, body: unknown, contentType = "application/json"): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}`,
    `Content-Type: ${contentType}; charset=utf-8`,
    `Content-Length: ${Buffer.byteLength(text)}`,
    "Connection: close",
    "",
    "",
  ].join("\r\n");
  socket.end(head + text);
}

/** The request's path and query, parsed against a dummy origin (only the path matters here). */
export function requestUrl(request: IncomingMessage): URL {
  return new URL(request.url ?? "/", "http://sandbox-host.invalid");
}
