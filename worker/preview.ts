// The preview of a session's app: a signed Daytona preview URL for the sandbox's app port, shared by every client until
// it is due for renewal, and whether anything answers there yet.
import { Daytona, DaytonaNotFoundError } from "@daytonaio/sdk";
import { type Preview, PREVIEW_PORT, UNAVAILABLE_HEADER } from "../snapshot/preview";
import { sandboxName } from "./pty-link";

/** Lifetime of a signed preview URL, in seconds (Daytona allows up to 24 h). */
export const PREVIEW_URL_TTL_S = 2 * 60 * 60;
/** A cached URL with less than this left is replaced, in ms; clients ask again before their copy expires. */
const RENEW_MARGIN_MS = 15 * 60 * 1000;
/** How long the probe of the app port may take, in ms. */
const PROBE_TIMEOUT_MS = 3000;

export interface PreviewConfig {
  sessionId: string;
  apiUrl?: string;
  apiKey?: string;
  target?: string;
}

/** One session's preview link: created through the SDK on demand, reused until close to its expiry. */
export class PreviewLinks {
  #link: { url: string; expiresAt: number } | null = null;
  #pending: Promise<Preview> | null = null;

  constructor(private readonly config: PreviewConfig) {}

  /** The current preview; concurrent callers share one lookup. */
  current(): Promise<Preview> {
    this.#pending ??= this.#lookup().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #lookup(): Promise<Preview> {
    const port = PREVIEW_PORT;
    try {
      const cached = this.#link !== null;
      const link = await this.#signedLink();
      if (!link) return { state: "stopped", port };
      if (await answers(link.url)) return { state: "ready", port, ...link };
      // Ask Daytona again, now and next time: the sandbox may have stopped, or restarted with new tokens.
      this.#link = null;
      if (cached) return await this.#lookup();
      return { state: "not-listening", port, ...link };
    } catch (error) {
      console.warn("preview.link", { session: this.config.sessionId, error: String(error) });
      return { state: "error", port, message: `Could not get the preview link: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** A signed URL with at least RENEW_MARGIN_MS left; null while the sandbox does not run. */
  async #signedLink(): Promise<{ url: string; expiresAt: number } | null> {
    if (this.#link && this.#link.expiresAt - Date.now() > RENEW_MARGIN_MS) return this.#link;
    const daytona = new Daytona({
      apiKey: this.config.apiKey || "local",
      apiUrl: this.config.apiUrl || undefined,
      target: this.config.target || undefined,
    });
    try {
      let sandbox;
      try {
        sandbox = await daytona.get(sandboxName(this.config.sessionId));
      } catch (error) {
        if (error instanceof DaytonaNotFoundError) return null;
        throw error;
      }
      if (sandbox.state !== "started") return null;
      const requestedAt = Date.now();
      const signed = await sandbox.getSignedPreviewUrl(PREVIEW_PORT, PREVIEW_URL_TTL_S);
      this.#link = { url: signed.url, expiresAt: requestedAt + PREVIEW_URL_TTL_S * 1000 };
      return this.#link;
    } finally {
      await daytona[Symbol.asyncDispose]().catch(() => undefined);
    }
  }
}

/** Whether the app answers at `url`: any response below 500 that is not the local host's own error page. */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.status < 500 && !response.headers.has(UNAVAILABLE_HEADER);
  } catch {
    return false;
  }
}
