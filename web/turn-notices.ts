// What to tell the user when Claude's state changes while they look elsewhere: a finished turn or a permission question.
import type { ClaudeState } from "../parsers/protocol";

export interface TurnNotice {
  /** Which change this is; a newer notice of the same kind replaces the older one. */
  kind: "finished" | "permission";
  title: string;
  body: string;
}

/**
 * The notice for Claude going from `previous` to `next`, or null when there is nothing to tell: only a working
 * Claude becoming idle (its turn ended) and a new permission question count. `previous` is null for the state a
 * (re)connection reports first, which is old news.
 */
export function turnNotice(previous: ClaudeState | null, next: ClaudeState, waitingFor?: string): TurnNotice | null {
  if (previous === null || previous === next) return null;
  if (next === "awaiting-permission") {
    return {
      kind: "permission",
      title: "Claude needs your permission",
      body: waitingFor ? `To run: ${waitingFor}` : "Claude is waiting for you to answer its question.",
    };
  }
  if (previous === "busy" && next === "idle") {
    return { kind: "finished", title: "Claude finished", body: "Claude is waiting for your next prompt." };
  }
  return null;
}
