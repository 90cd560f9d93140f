// Words and the badge for Claude's state, as the room's parser reads it from the screen.
import { html } from "lit";
import type { ClaudeState } from "../parsers/protocol";

export const claudeStateLabels: Record<ClaudeState, string> = {
  starting: "Starting",
  idle: "Idle",
  busy: "Working…",
  "awaiting-permission": "Needs permission",
  exited: "Exited",
};

const claudeStateTitles: Record<ClaudeState, string> = {
  starting: "Claude Code is starting",
  idle: "Claude is waiting for a prompt",
  busy: "Claude is working",
  "awaiting-permission": "Claude is asking for permission",
  exited: "Claude Code has exited",
};

/** The badge: a dot and the state's word (test id `claude-state`, `data-state` the state). */
export function claudeStateBadge(state: ClaudeState): unknown {
  return html`<span
    class="badge claude-state"
    data-testid="claude-state"
    data-state=${state}
    role="status"
    aria-live="polite"
    title=${claudeStateTitles[state]}
    ><span class="dot" aria-hidden="true"></span><span class="claude-state-who">Claude</span> ${claudeStateLabels[state]}</span
  >`;
}
