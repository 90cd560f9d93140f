// The app preview's shared vocabulary for the Worker, the browser and the local sandbox host: the port, the API's answer,
// and the local host's marker header. No runtime imports.

/** The port the workspace app's dev server listens on in a sandbox; the preview pane shows it. */
export const PREVIEW_PORT = 3000;
/** Response header (value "unavailable") on the local host's own preview error pages, so probes tell them from the app. */
export const UNAVAILABLE_HEADER = "x-nightona-preview";

/**
 * What the preview pane shows:
 * - `ready`: something answers on the port; `url` shows it;
 * - `not-listening`: the sandbox runs but nothing answers on the port yet (or only with an error);
 * - `stopped`: no running sandbox yet (opening the session's socket creates or starts it);
 * - `error`: Daytona refused or failed; `message` says why.
 */
export const PREVIEW_STATES = ["ready", "not-listening", "stopped", "error"] as const;
export type PreviewState = (typeof PREVIEW_STATES)[number];

/** `GET /api/sessions/:id/preview` (docs/protocol.md). */
export interface Preview {
  state: PreviewState;
  /** The sandbox port previewed (PREVIEW_PORT). */
  port: number;
  /** Signed URL of the port, for `ready` and `not-listening`; it grants access to this port only. */
  url?: string;
  /** When `url` stops working, in ms since the epoch. */
  expiresAt?: number;
  /** Why, for `error`. */
  message?: string;
}
