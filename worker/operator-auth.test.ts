// Who may create sessions: local requests when nothing is configured, else the operator token or a Cloudflare Access JWT.
import { describe, expect, it } from "vitest";
import { encodeBase64url } from "./base64url";
import type { Env } from "./env";
import { checkOperator, verifyAccessJwt } from "./operator-auth";

const TEAM = "acme.cloudflareaccess.com";
const AUD = "aud-tag-123";
const env = (extra: Partial<Env>): Env => ({ SessionRoom: undefined as never, ...extra });
const post = (host: string, headers: Record<string, string> = {}) =>
  new Request(`http://${host}/api/sessions`, { method: "POST", headers });

async function accessFixture() {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const jwk = { ...(await crypto.subtle.exportKey("jwk", pair.publicKey)), kid: "k1" };
  const certs = async () => new Response(JSON.stringify({ keys: [jwk] }));
  const sign = async (payload: Record<string, unknown>, kid = "k1") => {
    const encode = (value: unknown) => encodeBase64url(new TextEncoder().encode(JSON.stringify(value)));
    const unsigned = `${encode({ alg: "RS256", kid })}.${encode(payload)}`;
    const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", pair.privateKey, new TextEncoder().encode(unsigned));
    return `${unsigned}.${encodeBase64url(new Uint8Array(signature))}`;
  };
  return { certs: certs as unknown as typeof fetch, sign };
}

describe("checkOperator", () => {
  it("lets local requests create sessions when nothing is configured, and nobody else", async () => {
    expect(await checkOperator(post("127.0.0.1:8787"), env({}))).toEqual({ ok: true });
    expect(await checkOperator(post("localhost:8787"), env({}))).toEqual({ ok: true });
    expect((await checkOperator(post("nightona.example.com"), env({}))).ok).toBe(false);
  });

  it("accepts the operator token and only it", async () => {
    const configured = env({ ADMIN_TOKEN: "operator-secret-0123456789" });
    expect(await checkOperator(post("x.example", { authorization: "Bearer operator-secret-0123456789" }), configured)).toEqual({ ok: true });
    expect((await checkOperator(post("x.example", { authorization: "Bearer operator-secret-012345678" }), configured)).ok).toBe(false);
    expect((await checkOperator(post("localhost"), configured)).ok).toBe(false); // configured means required, even locally
  });

  it("accepts a valid Cloudflare Access JWT", async () => {
    const { certs, sign } = await accessFixture();
    const configured = env({ ACCESS_TEAM_DOMAIN: TEAM, ACCESS_AUD: AUD });
    const jwt = await sign({ aud: [AUD], iss: `https://${TEAM}`, exp: Date.now() / 1000 + 300 });
    expect(await checkOperator(post("x.example", { "cf-access-jwt-assertion": jwt }), configured, certs)).toEqual({ ok: true });
  });
});

describe("verifyAccessJwt", () => {
  it.each([
    ["another audience", { aud: ["other"], iss: `https://${TEAM}`, exp: 2e9 }],
    ["another issuer", { aud: [AUD], iss: "https://evil.cloudflareaccess.com", exp: 2e9 }],
    ["an expired token", { aud: [AUD], iss: `https://${TEAM}`, exp: 1e9 }],
    ["no expiry", { aud: [AUD], iss: `https://${TEAM}` }],
  ])("refuses %s", async (_case, payload) => {
    const { certs, sign } = await accessFixture();
    expect(await verifyAccessJwt(await sign(payload), { team: TEAM, aud: AUD, now: 1.5e12 }, certs)).toBe(false);
  });

  it("refuses an unknown key id, a tampered payload and junk", async () => {
    const { certs, sign } = await accessFixture();
    const payload = { aud: [AUD], iss: `https://${TEAM}`, exp: 2e9 };
    expect(await verifyAccessJwt(await sign(payload, "k2"), { team: TEAM, aud: AUD }, certs)).toBe(false);
    const [header, , signature] = (await sign(payload)).split(".");
    const forged = encodeBase64url(new TextEncoder().encode(JSON.stringify({ ...payload, aud: [AUD, "x"] })));
    expect(await verifyAccessJwt(`${header}.${forged}.${signature}`, { team: TEAM, aud: AUD }, certs)).toBe(false);
    expect(await verifyAccessJwt("a.b", { team: TEAM, aud: AUD }, certs)).toBe(false);
  });
});
