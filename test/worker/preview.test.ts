// The preview route inside workerd: any link of the session gets the signed URL of its sandbox's app port, through the SDK.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Preview } from "../../snapshot/preview";
import { PREVIEW_URL_TTL_S } from "../../worker/preview";
import { api, attach, createSession } from "./session-client";

function getPreview(id: string, token?: string, method = "GET"): Promise<Response> {
  return api(`/api/sessions/${id}/preview`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

describe("the preview route", () => {
  it("says stopped before the sandbox exists, then gives every role the sandbox's signed port-3000 URL", async () => {
    const session = await createSession();
    const before = await getPreview(session.id, session.tokens.read);
    expect(before.status).toBe(200);
    expect(await before.json<Preview>()).toEqual({ state: "stopped", port: 3000 });

    const writer = await attach(session.id, session.tokens.write);
    await writer.waitForRunning();
    const hostOrigin = new URL(env.DAYTONA_API_URL!).origin;
    const urls = new Set<string>();
    for (const token of [session.tokens.owner, session.tokens.write, session.tokens.read]) {
      const requestedAt = Date.now();
      const response = await getPreview(session.id, token);
      expect(response.status).toBe(200);
      const preview = await response.json<Preview>();
      // This suite's sandbox host runs no dev servers: nothing answers on the port.
      expect(preview.state).toBe("not-listening");
      expect(preview.port).toBe(3000);
      expect(preview.url).toMatch(new RegExp(`^${hostOrigin}/preview/[0-9a-f-]{36}/3000/$`));
      expect(preview.expiresAt).toBeGreaterThanOrEqual(requestedAt + PREVIEW_URL_TTL_S * 1000 - 5000);
      expect(preview.expiresAt).toBeLessThanOrEqual(Date.now() + PREVIEW_URL_TTL_S * 1000);
      urls.add(preview.url!);
    }
    expect(urls.size).toBe(1);
    writer.socket.close();
  });

  it("refuses missing, foreign and revoked tokens, and other methods", async () => {
    const session = await createSession();
    const other = await createSession();
    expect((await getPreview(session.id)).status).toBe(401);
    expect((await getPreview(session.id, other.tokens.owner)).status).toBe(401);
    expect((await getPreview(session.id, session.tokens.owner, "POST")).status).toBe(405);
    const rotated = await api(`/api/sessions/${session.id}/links`, {
      method: "POST",
      headers: { authorization: `Bearer ${session.tokens.owner}` },
      body: JSON.stringify({ link: "read" }),
    });
    expect(rotated.status).toBe(200);
    const revoked = await getPreview(session.id, session.tokens.read);
    expect(revoked.status).toBe(401);
    expect((await revoked.json<{ error: { code: string } }>()).error.code).toBe("unauthorized");
  });
});
