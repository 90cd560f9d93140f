// Reads a tool call's status from what is drawn under its header: result text first, bullet colour as the fallback.
import type { ToolStatus } from "./events";
import type { ColorClass } from "./screen";

const RUNNING = /^Running…?/u;
const WAITING = /^Waiting…?/u;
const INTERRUPTED = /^Interrupted\b/u;
/** Result lines that mean the user said no (2.0.x "User rejected update to x", 2.1.x "Rejected update to x"). */
const DENIED = /^(?:User rejected|Rejected\b|Permission (?:to use \S+ )?(?:was |has been )?denied|Denied\b|User declined)/iu;
/** Result lines of a call that failed. */
const FAILED =
  /^(?:Error\b|Exit code \d+|Couldn't\b|Could not\b|Cannot\b|Failed\b|Unable to\b|Invalid\b|File must be read first|File does not exist|File has not been read|String to replace not found|No such tool available|Blocked\b)|No such tool available/iu;
/** Result lines of an agent still working in the background. */
const BACKGROUND = /^Backgrounded agent\b|^Running in the background\b/iu;

export interface StatusEvidence {
  /** The `⎿` lines under the header. */
  results: readonly string[];
  bullet: ColorClass;
}

/** The status the drawn call shows, or undefined when nothing tells yet (a bare header keeps what was known). */
export function statusFromDrawing(evidence: StatusEvidence): ToolStatus | "interrupted-or-denied" | undefined {
  const results = evidence.results;
  if (results.some((text) => INTERRUPTED.test(text))) return "interrupted-or-denied";
  const first = results[0];
  if (first !== undefined) {
    if (RUNNING.test(first)) return "running";
    if (WAITING.test(first)) return "awaiting-permission";
    if (DENIED.test(first)) return "denied";
    if (FAILED.test(first)) return "error";
    if (BACKGROUND.test(first)) return "running";
  }
  if (evidence.bullet === "red") return "error";
  if (evidence.bullet === "green") return "done";
  // Output under a gray or blinking bullet: a call that finished is drawn green, so this one still runs,
  // unless the drawing has no colours at all (then output means it finished).
  if (first !== undefined) return evidence.bullet === "plain" ? "done" : "running";
  return undefined;
}
