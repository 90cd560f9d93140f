// The Worker's bindings: the SessionRoom namespace, configuration vars and secrets.
import type { SessionRoom } from "./session-room";

export interface Env {
  SessionRoom: DurableObjectNamespace<SessionRoom>;
  /** Daytona API base URL; empty means Daytona's public API. Locally: the embedded sandbox host. */
  DAYTONA_API_URL?: string;
  /** Secret: Daytona API key (any value works against the local sandbox host). */
  DAYTONA_API_KEY?: string;
  DAYTONA_TARGET?: string;
  /** Snapshot that new sandboxes start from (see snapshot/); empty uses Daytona's default image. */
  DAYTONA_SNAPSHOT?: string;
  /** What a session's PTY runs when the creator does not ask for something else. */
  DEFAULT_COMMAND?: string;
  /** Bytes of recent output each session keeps for clients that join or resume (default 8 MiB, at least 1 MiB). */
  OUTPUT_LOG_BYTES?: string;
  /** Seconds without output or input (and Claude not busy) before the room lets go of the PTY to hibernate (default 300). */
  IDLE_DETACH_SECONDS?: string;
  /** Comma-separated extra origins allowed to open WebSockets (the Worker's own origin always is). */
  ALLOWED_ORIGINS?: string;
  /** Secret: HMAC key for link tokens and tickets (`npm start` generates one into .dev.vars). */
  LINK_SIGNING_KEY?: string;
  /** Secret: bearer token that lets an operator create sessions in production. */
  ADMIN_TOKEN?: string;
  /** Cloudflare Access in front of the Worker: the team domain (e.g. `acme.cloudflareaccess.com`) and the app's AUD tag. */
  ACCESS_TEAM_DOMAIN?: string;
  ACCESS_AUD?: string;
  // Anthropic credentials, passed to claude inside the sandbox and never to a browser.
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_AUTH_TOKEN?: string;
  ANTHROPIC_BASE_URL?: string;
  ANTHROPIC_MODEL?: string;
}

/** The Anthropic variables forwarded to the sandbox's PTY, by name. */
export const ANTHROPIC_ENV_NAMES = [
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_AUTH_TOKEN",
  "ANTHROPIC_BASE_URL",
  "ANTHROPIC_MODEL",
] as const;
