// Who may call: any Bearer key on REST and Node WebSockets; the sandbox's own token on WebSockets from workerd/browsers.
import type { IncomingMessage } from "node:http";
import { timingSafeEqual } from "node:crypto";

/** Query parameter the SDK uses for the preview token when it cannot send headers (workerd, browsers, Deno). */
export const AUTH_QUERY_PARAM = "DAYTONA_SANDBOX_AUTH_KEY";
/** Header form of the preview token. */
export const PREVIEW_TOKEN_HEADER = "x-daytona-preview-token";

/** True when the request carries `Authorization: Bearer <anything non-empty>`; the local host checks no key. */
export function hasBearer(request: IncomingMessage): boolean {
  return /^Bearer\s+\S+/i.test(request.headers.authorization ?? "");
}

/** True when the request proves it may act on the sandbox: a Bearer key, or the sandbox token in query or header. */
export function mayAccessSandbox(request: IncomingMessage, url: URL, sandboxToken: string): boolean {
  if (hasBearer(request)) return true;
  const header = request.headers[PREVIEW_TOKEN_HEADER];
  const offered = url.searchParams.get(AUTH_QUERY_PARAM) ?? (typeof header === "string" ? header : null);
  return offered !== null && sameSecret(offered, sandboxToken);
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.byteLength === right.byteLength && timingSafeEqual(left, right);
}
