// JSON responses and errors for the HTTP API, with statuses from the protocol's one error registry.
import { type ErrorCode, ErrorCodes } from "../parsers/protocol";

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function errorResponse(code: ErrorCode, message: string): Response {
  return json({ error: { code, message } }, ErrorCodes[code].status);
}

/** Reads a JSON body of at most `maxBytes`; returns undefined for an empty body, or an error Response. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown | Response> {
  const text = await request.text();
  if (text.length > maxBytes) return errorResponse("too_large", `body exceeds ${maxBytes} bytes`);
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return errorResponse("bad_request", "body is not valid JSON");
  }
}

export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header?.match(/^Bearer ([A-Za-z0-9_.-]{16,512})$/);
  return match?.[1] ?? null;
}
