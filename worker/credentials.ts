// Capability tokens for the link roles and single-use WebSocket tickets: random, URL-safe, compared in constant time.
import type { Role } from "../parsers/protocol";

/** How long a ticket may wait between its issue and the WebSocket it opens. */
export const TICKET_TTL_MS = 60_000;

/** Link roles as they appear in the API's `links` object. */
export const LINK_ROLES = { owner: "owner", write: "writer", read: "viewer" } as const satisfies Record<string, Role>;

export type RoleTokens = Record<Role, string>;

export function randomToken(bytes = 24): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  let binary = "";
  for (const byte of raw) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

export function newRoleTokens(): RoleTokens {
  return { owner: randomToken(), writer: randomToken(), viewer: randomToken() };
}

/** The role a presented token grants, or null. Every stored token is compared so timing reveals nothing. */
export function roleForToken(tokens: RoleTokens, presented: string): Role | null {
  let found: Role | null = null;
  for (const role of ["owner", "writer", "viewer"] as const) {
    if (timingSafeEqual(tokens[role], presented)) found = role;
  }
  return found;
}

function timingSafeEqual(a: string, b: string): boolean {
  const encoder = new TextEncoder();
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.byteLength !== right.byteLength) return false;
  return crypto.subtle.timingSafeEqual(left, right);
}
