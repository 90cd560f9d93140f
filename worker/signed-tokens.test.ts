// Signing and verifying link tokens and tickets.
import { describe, expect, it } from "vitest";
import { type LinkClaims, TokenSigner } from "./signed-tokens";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const NOW = 1_800_000_000_000;
const claims: LinkClaims = { kind: "link", session: "s1", role: "writer", generation: 2, expires: NOW / 1000 + 60 };

describe("TokenSigner", () => {
  it("round-trips claims", async () => {
    const signer = await TokenSigner.fromSecret(SECRET);
    expect(await signer.verify(await signer.sign(claims), "link", "s1", NOW)).toEqual({ ok: true, claims });
  });

  it.each([
    ["another session", (token: string) => token, "s2", NOW, "wrong-session"],
    ["an expired token", (token: string) => token, "s1", NOW + 60_000, "expired"],
    ["a flipped signature byte", (token: string) => token.slice(0, -2) + (token.endsWith("A") ? "BB" : "AA"), "s1", NOW, "bad-signature"],
    ["no signature", (token: string) => token.split(".")[0]!, "s1", NOW, "malformed"],
    ["three parts", (token: string) => `${token}.x`, "s1", NOW, "malformed"],
    ["junk", () => "%%%.%%%", "s1", NOW, "malformed"],
    ["a huge token", () => "a".repeat(10_000), "s1", NOW, "malformed"],
  ] as const)("refuses %s", async (_case, mangle, session, now, reason) => {
    const signer = await TokenSigner.fromSecret(SECRET);
    expect(await signer.verify(mangle(await signer.sign(claims)), "link", session, now)).toEqual({ ok: false, reason });
  });

  it("refuses a token of the wrong kind and one signed with another key", async () => {
    const signer = await TokenSigner.fromSecret(SECRET);
    const other = await TokenSigner.fromSecret(`${SECRET}-other`);
    expect(await signer.verify(await signer.sign(claims), "ticket", "s1", NOW)).toEqual({ ok: false, reason: "wrong-kind" });
    expect(await signer.verify(await other.sign(claims), "link", "s1", NOW)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("needs a key of at least 32 bytes", async () => {
    await expect(TokenSigner.fromSecret("short")).rejects.toThrow(/LINK_SIGNING_KEY/);
    await expect(TokenSigner.fromSecret(undefined)).rejects.toThrow(/LINK_SIGNING_KEY/);
  });
});
