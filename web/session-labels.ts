// Words the session page shows for connection states, roles and the session's lifecycle.
import type { ErrorCode, Role, SessionStatus } from "../parsers/protocol";
import type { ConnectionState } from "./session-connection";

export const connectionLabels: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  open: "Connected",
  reconnecting: "Reconnecting…",
  offline: "Offline",
  "closed-fatal": "Disconnected",
  closed: "Closed",
};

export const roleLabels: Record<Role, string> = {
  owner: "Owner",
  writer: "Can type",
  viewer: "Read-only",
};

/** The name of what the PTY runs, for sentences: "Claude" for Claude Code, else the command's first word. */
export function programName(command: string | undefined): string {
  const program = command?.trim().split(/\s+/)[0];
  if (!program || /(^|\/)claude$/.test(program)) return "Claude";
  return program;
}

/** One line for the status bar. */
export function describeStatus(status: SessionStatus | null, command: string | undefined): string {
  if (!status) return "Waiting for the session…";
  const program = programName(command);
  switch (status.phase) {
    case "provisioning":
      return status.message ? inProgress(status.message) : "Preparing the sandbox…";
    case "connecting":
      return status.message ? inProgress(status.message) : "Opening the terminal…";
    case "running":
      return `${program} is running`;
    case "exited":
      return status.exitCode === undefined ? `${program} exited` : `${program} exited with code ${status.exitCode}`;
    case "disconnected":
      return status.message ?? "Lost the sandbox terminal; the next keystroke reconnects";
    case "asleep":
      return `${program} is idle; the terminal wakes when you type`;
    case "error":
      return status.message ? `Error: ${status.message}` : "The session failed to start";
    default:
      status.phase satisfies never;
      return "";
  }
}

/** "Creating sandbox" → "Creating sandbox…"; messages that already end in punctuation stay as they are. */
function inProgress(message: string): string {
  return /[.…!?]$/.test(message) ? message : `${message}…`;
}

/**
 * The notice for an `error` frame, or null for none: `unauthorized` comes just before the close that shows the
 * fatal overlay (a revoked link), which says it better.
 */
export function serverErrorNotice(code: ErrorCode, message: string): string | null {
  if (code === "rate_limited") return "Typing too fast — some input was dropped";
  if (code === "unauthorized") return null;
  return message.charAt(0).toUpperCase() + message.slice(1);
}
