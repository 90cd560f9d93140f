// A reactive controller that keeps a session's app preview current: asks the API, retries while nothing answers on the
// port, and asks again before the signed URL expires.
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { Preview } from "../snapshot/preview";
import { ApiError, getPreview } from "./api";

/** First wait before asking again while the app is not up, in ms; it doubles up to MAX_RETRY_MS. */
const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 15_000;
/** Ask for a fresh URL this long before the current one expires, in ms (the room renews with 15 minutes left). */
const RENEW_BEFORE_MS = 10 * 60 * 1000;
/** Never schedule a renewal sooner than this, in ms. */
const MIN_RENEW_MS = 30_000;

export interface PreviewLinkOptions {
  sessionId: () => string;
  token: () => string;
}

export class PreviewLink implements ReactiveController {
  /** The latest answer; null until the first one. */
  preview: Preview | null = null;
  /** Why the latest request failed; null after a success. */
  failure: ApiError | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #retryMs = FIRST_RETRY_MS;
  #connected = false;
  /** Bumped by every refresh, so an older answer arriving late is dropped. */
  #generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: PreviewLinkOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    void this.refresh();
  }

  hostDisconnected(): void {
    this.#connected = false;
    clearTimeout(this.#timer);
    document.removeEventListener("visibilitychange", this.#onVisible);
  }

  /** Asks now (a person pressed Retry or Reload), and restarts the retry backoff. */
  retryNow(): Promise<void> {
    this.#retryMs = FIRST_RETRY_MS;
    return this.refresh();
  }

  async refresh(): Promise<void> {
    clearTimeout(this.#timer);
    document.removeEventListener("visibilitychange", this.#onVisible);
    if (!this.options.sessionId() || !this.options.token()) return;
    const generation = ++this.#generation;
    try {
      const preview = await getPreview(this.options.sessionId(), this.options.token());
      if (generation !== this.#generation) return;
      this.preview = preview;
      this.failure = null;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.failure = error instanceof ApiError ? error : new ApiError(0, "network", String(error));
    }
    this.host.requestUpdate();
    this.#scheduleNext();
  }

  #scheduleNext(): void {
    if (!this.#connected || this.failure?.fatal) return;
    const preview = this.preview;
    let waitMs: number;
    if (!this.failure && preview?.state === "ready") {
      this.#retryMs = FIRST_RETRY_MS;
      waitMs = preview.expiresAt === undefined ? MAX_RETRY_MS : Math.max(MIN_RENEW_MS, preview.expiresAt - Date.now() - RENEW_BEFORE_MS);
    } else {
      waitMs = this.#retryMs;
      this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
    }
    this.#timer = setTimeout(this.#refreshWhenVisible, waitMs);
  }

  /** A hidden tab asks once it is shown again: nobody looks, and every look costs the room a Daytona call. */
  #refreshWhenVisible = (): void => {
    if (document.visibilityState === "hidden") document.addEventListener("visibilitychange", this.#onVisible);
    else void this.refresh();
  };

  #onVisible = (): void => {
    if (document.visibilityState === "hidden") return;
    document.removeEventListener("visibilitychange", this.#onVisible);
    if (this.#connected) void this.refresh();
  };
}
