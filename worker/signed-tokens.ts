// Signed capability tokens (HMAC-SHA-256, WebCrypto): link tokens for a session role, and single-use WebSocket tickets.
import type { Role } from "../parsers/protocol";
import { decodeBase64url, encodeBase64url } from "./base64url";

/** How long a ticket may wait between its issue and the WebSocket it opens, in seconds. */
export const TICKET_TTL_S = 60;
/** How long a share link works unless the owner rotates it sooner, in seconds. */
export const LINK_TTL_S = 30 * 24 * 3600;
/** Refuse to sign with a key shorter than this many bytes. */
const MIN_KEY_BYTES = 32;
const MAX_TOKEN_CHARS = 512;

/** What a link token grants: one role in one session, for links of that role's current generation. */
export interface LinkClaims {
  kind: "link";
  session: string;
  role: Role;
  /** The role's link generation; rotating the role's link bumps it, and older tokens stop working. */
  generation: number;
  /** Expiry, seconds since the epoch. */
  expires: number;
}

/** What a ticket grants: one WebSocket connection, once, soon. */
export interface TicketClaims {
  kind: "ticket";
  session: string;
  role: Role;
  generation: number;
  /** Random id the room remembers once used, so a ticket opens one socket only. */
  nonce: string;
  expires: number;
  /** The name the client asked to be shown as. */
  name: string;
}

export type Claims = LinkClaims | TicketClaims;

export type Verified<T> = { ok: true; claims: T } | { ok: false; reason: "malformed" | "bad-signature" | "expired" | "wrong-session" | "wrong-kind" };

export class TokenSigner {
  private constructor(private readonly key: CryptoKey) {}

  /** `secret` is base64url or any string of at least 32 bytes (a Worker secret). */
  static async fromSecret(secret: string | undefined): Promise<TokenSigner> {
    const bytes = new TextEncoder().encode(secret ?? "");
    if (bytes.byteLength < MIN_KEY_BYTES) {
      throw new Error(`LINK_SIGNING_KEY must be set to at least ${MIN_KEY_BYTES} bytes (npm start generates one into .dev.vars)`);
    }
    const key = await crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    return new TokenSigner(key);
  }

  async sign(claims: Claims): Promise<string> {
    const body = encodeBase64url(new TextEncoder().encode(JSON.stringify(claims)));
    const signature = await crypto.subtle.sign("HMAC", this.key, new TextEncoder().encode(body));
    return `${body}.${encodeBase64url(new Uint8Array(signature))}`;
  }

  /** Checks signature, expiry, kind and session; never throws on bad input. */
  async verify<K extends Claims["kind"]>(
    token: string,
    kind: K,
    session: string,
    now = Date.now(),
  ): Promise<Verified<Extract<Claims, { kind: K }>>> {
    if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: "malformed" };
    const [body, signature, extra] = token.split(".");
    if (!body || !signature || extra !== undefined) return { ok: false, reason: "malformed" };
    const signatureBytes = decodeBase64url(signature);
    if (!signatureBytes) return { ok: false, reason: "malformed" };
    const valid = await crypto.subtle.verify("HMAC", this.key, signatureBytes, new TextEncoder().encode(body));
    if (!valid) return { ok: false, reason: "bad-signature" };
    const claims = parseClaims(decodeBase64url(body));
    if (!claims) return { ok: false, reason: "malformed" };
    if (claims.kind !== kind) return { ok: false, reason: "wrong-kind" };
    if (claims.session !== session) return { ok: false, reason: "wrong-session" };
    if (claims.expires * 1000 <= now) return { ok: false, reason: "expired" };
    return { ok: true, claims: claims as Extract<Claims, { kind: K }> };
  }
}

/** A fresh random secret for LINK_SIGNING_KEY. */
export function newSigningSecret(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
}

export function randomNonce(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

const ROLE_NAMES: readonly string[] = ["owner", "writer", "viewer"];

// Signed bodies come from us, but the check stays strict: a key leak must not become a type confusion.
function parseClaims(bytes: Uint8Array | null): Claims | null {
  if (!bytes) return null;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const claims = value as Record<string, unknown>;
  const common =
    typeof claims.session === "string" &&
    typeof claims.role === "string" &&
    ROLE_NAMES.includes(claims.role) &&
    Number.isInteger(claims.generation) &&
    Number.isInteger(claims.expires);
  if (!common) return null;
  if (claims.kind === "link") return claims as unknown as LinkClaims;
  if (claims.kind === "ticket" && typeof claims.nonce === "string" && typeof claims.name === "string") {
    return claims as unknown as TicketClaims;
  }
  return null;
}
