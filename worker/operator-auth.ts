// Who may create sessions: an operator token, a Cloudflare Access identity, or, with neither configured, local requests only.
import { decodeBase64url } from "./base64url";
import type { Env } from "./env";

/** Hosts that count as this machine when no operator authorization is configured. */
const LOCAL_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** Access signing keys rotate rarely; refetch them at most this often, in milliseconds. */
const CERTS_TTL_MS = 10 * 60_000;
/** Clock skew allowed when checking a JWT's times, in seconds. */
const CLOCK_SKEW_S = 60;

export type OperatorCheck = { ok: true } | { ok: false; message: string };

interface Jwk {
  kid?: string;
  kty: string;
  n?: string;
  e?: string;
  alg?: string;
}

/** Fetched keys per fetcher (one in production: the global fetch) and team URL. */
const certsCache = new WeakMap<typeof fetch, Map<string, { keys: Jwk[]; fetchedAt: number }>>();

export async function checkOperator(request: Request, env: Env, fetchCerts: typeof fetch = fetch): Promise<OperatorCheck> {
  const adminToken = env.ADMIN_TOKEN;
  const accessAud = env.ACCESS_AUD;
  const accessTeam = env.ACCESS_TEAM_DOMAIN;
  if (!adminToken && !(accessAud && accessTeam)) {
    return LOCAL_HOSTS.has(new URL(request.url).hostname)
      ? { ok: true }
      : { ok: false, message: "creating sessions needs ADMIN_TOKEN or Cloudflare Access to be configured" };
  }
  const bearer = request.headers.get("authorization")?.match(/^Bearer (.+)$/)?.[1];
  if (adminToken && bearer && (await sameSecret(bearer, adminToken))) return { ok: true };
  const assertion = request.headers.get("cf-access-jwt-assertion");
  if (accessAud && accessTeam && assertion) {
    const verified = await verifyAccessJwt(assertion, { team: accessTeam, aud: accessAud }, fetchCerts);
    if (verified) return { ok: true };
  }
  return { ok: false, message: "creating sessions needs the operator token or a Cloudflare Access login" };
}

/** Verifies an RS256 Cloudflare Access JWT against the team's published keys, its audience and its times. */
export async function verifyAccessJwt(
  token: string,
  options: { team: string; aud: string; now?: number },
  fetchCerts: typeof fetch = fetch,
): Promise<boolean> {
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  const signature = decodeBase64url(signaturePart);
  if (!header || !payload || !signature || header.alg !== "RS256" || typeof header.kid !== "string") return false;

  // An unknown key id may mean Access rotated its keys since we fetched them: fetch once more.
  const jwk =
    (await accessKeys(options.team, fetchCerts, false)).find((key) => key.kid === header.kid) ??
    (await accessKeys(options.team, fetchCerts, true)).find((key) => key.kid === header.kid);
  if (!jwk || jwk.kty !== "RSA") return false;
  const key = await crypto.subtle.importKey(
    "jwk",
    { kty: "RSA", n: jwk.n, e: jwk.e, alg: "RS256", ext: true },
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  if (!(await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, signature, signed))) return false;

  const now = (options.now ?? Date.now()) / 1000;
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  return (
    audiences.includes(options.aud) &&
    typeof payload.exp === "number" &&
    payload.exp + CLOCK_SKEW_S > now &&
    (typeof payload.nbf !== "number" || payload.nbf - CLOCK_SKEW_S <= now) &&
    payload.iss === `https://${options.team}`
  );
}

async function accessKeys(team: string, fetchCerts: typeof fetch, refresh: boolean): Promise<Jwk[]> {
  const url = `https://${team}/cdn-cgi/access/certs`;
  let byUrl = certsCache.get(fetchCerts);
  if (!byUrl) certsCache.set(fetchCerts, (byUrl = new Map()));
  const cached = byUrl.get(url);
  if (!refresh && cached && Date.now() - cached.fetchedAt < CERTS_TTL_MS) return cached.keys;
  const response = await fetchCerts(url);
  if (!response.ok) return cached?.keys ?? [];
  const keys = ((await response.json()) as { keys?: Jwk[] }).keys ?? [];
  byUrl.set(url, { keys, fetchedAt: Date.now() });
  return keys;
}

async function sameSecret(a: string, b: string): Promise<boolean> {
  // Compare digests, so neither the length nor the content leaks through timing.
  const [left, right] = await Promise.all(
    [a, b].map(async (value) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value)))),
  );
  let difference = 0;
  for (let i = 0; i < left!.length; i++) difference |= left![i]! ^ right![i]!;
  return difference === 0;
}

function decodeJson(part: string): Record<string, unknown> | null {
  const bytes = decodeBase64url(part);
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
