// Daytona's PTY WebSocket vocabulary: subprotocol tokens, control frames, close codes and exit reasons.
import { daemonError } from "./api-errors";

/** Offered by every SDK connect; opts the client in to the `exited` control frame. */
export const EXIT_CONTROL_SUBPROTOCOL = "X-Daytona-Pty-Exit-Control";
/** Prefix of the token that carries the PTY env vars as base64url (no padding) JSON, on create-connect only. */
export const ENVS_SUBPROTOCOL_PREFIX = "X-Daytona-Pty-Envs~";
/** Prefix of the token the SDK offers from workerd, browsers and Deno; the server echoes it when offered. */
export const SDK_VERSION_SUBPROTOCOL_PREFIX = "X-Daytona-SDK-Version~";
/** Largest encoded envs token the daemon accepts, in characters. */
export const MAX_ENVS_TOKEN_CHARS = 64 * 1024;
/** Largest message a client may send; larger ones close the socket (the daemon's `readLimit`), in bytes. */
export const MAX_INPUT_MESSAGE_BYTES = 64 * 1024;
/** Terminal size bounds for create and resize, in columns and rows. */
export const MIN_TERMINAL_SIZE = 1;
export const MAX_TERMINAL_SIZE = 1000;
/** Size of a PTY created without cols/rows. */
export const DEFAULT_COLS = 80;
export const DEFAULT_ROWS = 24;

/** WebSocket close codes the daemon uses. */
export const CloseCode = {
  /** The process exited with code 0. */
  normal: 1000,
  /** The client's outbound queue grew past its bound; the PTY lives on. */
  policyViolation: 1008,
  /** The process exited non-zero or was killed, or input could not be written. */
  internalError: 1011,
} as const;

export const SLOW_CONSUMER_REASON = "slow consumer";
export const PTY_UNAVAILABLE_REASON = "PTY session unavailable";

/** server → client, text: the socket is attached; the SDK's `waitForConnection` waits for this. */
export function connectedFrame(): string {
  return JSON.stringify({ type: "control", status: "connected" });
}

/** server → client, text: attaching or starting failed; a close follows. */
export function errorFrame(message: string): string {
  return JSON.stringify({ type: "control", status: "error", error: message });
}

/** server → client, text, only when Exit-Control was offered: the process exited; sent after its last output. */
export function exitedFrame(exitCode: number): string {
  const reason = exitReasonText(exitCode);
  return JSON.stringify({ type: "control", status: "exited", exitCode, ...(reason ? { exitReason: reason } : {}) });
}

/** The close that follows an exit: 1000 for code 0, else 1011, with `{"exitCode":N,"exitReason"?}` as reason. */
export function exitClose(exitCode: number): { code: number; reason: string } {
  const reason = exitReasonText(exitCode);
  return {
    code: exitCode === 0 ? CloseCode.normal : CloseCode.internalError,
    reason: JSON.stringify({ exitCode, ...(reason ? { exitReason: reason } : {}) }),
  };
}

/** The daemon's words for an exit code; undefined for a clean exit. */
export function exitReasonText(exitCode: number): string | undefined {
  if (exitCode === 0) return undefined;
  if (exitCode === 130) return "Ctrl+C";
  if (exitCode === 137) return "SIGKILL";
  if (exitCode === 143) return "SIGTERM";
  if (exitCode > 128) return `signal ${exitCode - 128}`;
  return "non-zero exit";
}

/** Shell convention: a process ended by signal N reports 128 + N. */
export function exitCodeOf(exit: { exitCode: number; signal?: number }): number {
  return exit.signal ? 128 + exit.signal : exit.exitCode;
}

/** The one offered subprotocol the server echoes: the SDK-version token if offered, else Exit-Control. */
export function pickSubprotocol(offered: ReadonlySet<string>): string | false {
  for (const token of offered) if (token.startsWith(SDK_VERSION_SUBPROTOCOL_PREFIX)) return token;
  return offered.has(EXIT_CONTROL_SUBPROTOCOL) ? EXIT_CONTROL_SUBPROTOCOL : false;
}

/** The tokens of a `Sec-WebSocket-Protocol` header, trimmed. */
export function offeredSubprotocols(header: string | undefined): Set<string> {
  if (!header) return new Set();
  return new Set(
    header
      .split(",")
      .map((token) => token.trim())
      .filter((token) => token !== ""),
  );
}

/** Decodes and validates the envs token; empty when absent. Throws a 400 in the daemon's shape when malformed. */
export function decodeEnvsSubprotocol(offered: ReadonlySet<string>): Record<string, string> {
  for (const token of offered) {
    if (!token.startsWith(ENVS_SUBPROTOCOL_PREFIX)) continue;
    const encoded = token.slice(ENVS_SUBPROTOCOL_PREFIX.length);
    if (encoded.length > MAX_ENVS_TOKEN_CHARS) {
      throw daemonError(400, `invalid envs subprotocol: token exceeds ${MAX_ENVS_TOKEN_CHARS} characters`);
    }
    if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw daemonError(400, "invalid envs subprotocol: not base64url");
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
    } catch {
      throw daemonError(400, "invalid envs subprotocol: not JSON");
    }
    return validateEnvs(parsed, "invalid envs subprotocol");
  }
  return {};
}

/** Checks an env map: an object of strings, keys non-empty without `=`, NUL or newline, values without NUL. */
export function validateEnvs(value: unknown, context: string): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw daemonError(400, `${context}: envs must be an object of strings`);
  }
  const envs: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (key === "" || /[=\0\r\n]/.test(key)) throw daemonError(400, `${context}: invalid env key ${JSON.stringify(key)}`);
    if (typeof entry !== "string" || entry.includes("\0")) {
      throw daemonError(400, `${context}: env ${key} must be a string without NUL`);
    }
    envs[key] = entry;
  }
  return envs;
}

/** Parses a terminal dimension from a query value or JSON field; `fallback` when absent. Throws a 400 when invalid. */
export function parseTerminalSize(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null || value === "") return fallback;
  const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number < MIN_TERMINAL_SIZE || number > MAX_TERMINAL_SIZE) {
    throw daemonError(400, `invalid value for ${name} - must be an integer from ${MIN_TERMINAL_SIZE} to ${MAX_TERMINAL_SIZE}`);
  }
  return number;
}
