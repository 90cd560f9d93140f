// What a browser tab shows about its session (title words and a favicon dot), so a background tab tells the state at a glance.
import type { ClaudeState, SessionStatus } from "../parsers/protocol";
import type { ConnectionState } from "./session-connection";

/** The states a tab tells apart. `attention` means Claude waits for the user's permission. */
export type TabState = "attention" | "busy" | "idle" | "starting" | "running" | "exited" | "problem";

export interface TabInputs {
  /** What the PTY runs, as a word ("Claude", "bash"). */
  program: string;
  sessionId: string;
  connection: ConnectionState;
  phase: SessionStatus["phase"] | null;
  /** Claude's state from the room's parser; null before it said. */
  claude: ClaudeState | null;
}

/** Words for each state where a list shows it (the start page). */
export const tabStateLabels: Record<TabState, string> = {
  attention: "Needs permission",
  busy: "Working",
  idle: "Idle",
  starting: "Starting",
  running: "Running",
  exited: "Exited",
  problem: "Disconnected",
};

const TAB_WORDS: Record<TabState, string | null> = {
  attention: "Needs permission",
  busy: "Working",
  idle: "Idle",
  starting: "Starting",
  running: null,
  exited: "Exited",
  problem: "Disconnected",
};

/** Dot colours in the favicon, from the page's palette; null draws no dot. */
const DOT_COLOURS: Record<TabState, string | null> = {
  attention: "#ffc777",
  busy: "#82aaff",
  idle: "#c3e88d",
  starting: null,
  running: null,
  exited: "#828bb8",
  problem: "#ff757f",
};

export function tabState({ program, connection, phase, claude }: TabInputs): TabState {
  if (connection === "closed-fatal" || phase === "error") return "problem";
  if (phase === "exited") return "exited";
  // A program other than Claude never leaves "starting" for the parser; only a state it did read counts then.
  const claudeKnown = claude !== null && (program === "Claude" || claude !== "starting");
  if (claudeKnown) {
    switch (claude) {
      case "awaiting-permission":
        return "attention";
      case "busy":
        return "busy";
      case "idle":
        return "idle";
      case "exited":
        return "exited";
      case "starting":
        return "starting";
      default:
        claude satisfies never;
    }
  }
  // Asleep: the room let the idle PTY go; the program still runs and wakes with the next keystroke.
  if (phase === "asleep") return "running";
  if (phase === "running") return program === "Claude" ? "starting" : "running";
  return "starting";
}

/** The document title: the state's word first (what a narrow tab still shows), then program, session, product. */
export function tabTitle(inputs: TabInputs): string {
  const state = tabState(inputs);
  const words = TAB_WORDS[state];
  const mark = state === "attention" ? "⚠ " : "";
  const parts = [words ? `${mark}${words}` : null, inputs.program, inputs.sessionId.slice(0, 8), "Nightona"];
  return parts.filter((part) => part !== null).join(" · ");
}

/** The favicon as an SVG data URL: the prompt mark, with a coloured dot in the corner for the state. */
export function tabFavicon(state: TabState): string {
  const dot = DOT_COLOURS[state];
  const badge = dot ? `<circle cx='25' cy='7' r='6.5' fill='${dot}' stroke='#11131c' stroke-width='2'/>` : "";
  const svg =
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>" +
    "<rect width='32' height='32' rx='7' fill='#11131c'/>" +
    "<path d='M8 10l6 6-6 6' stroke='#ffc777' stroke-width='3' fill='none' stroke-linecap='round' stroke-linejoin='round'/>" +
    "<path d='M16 22h8' stroke='#82aaff' stroke-width='3' stroke-linecap='round'/>" +
    badge +
    "</svg>";
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
