// Scores parser output against a session's ground truth: which calls were found, which were made up, and whose status is right.
import type { ToolRecord } from "../../parsers/claude-tui/events";
import { ellipsisMatch } from "../../parsers/claude-tui/target-match";
import type { TruthTool } from "./truth";

export interface Score {
  /** Parser records matched to a sent call. */
  found: number;
  /** Parser records that match no sent call. */
  madeUp: number;
  /** Sent calls the parser did not report. */
  missed: number;
  /** Matched records whose final status equals the truth's. */
  statusRight: number;
  /** Matched records whose target is known (not a folded call the TUI never named). */
  targetKnown: number;
  /** Made-up records that repeat a found call (same tool and target): duplicates from redraws. */
  duplicates: number;
  /** Per-call detail, for reports. */
  pairs: { truth: TruthTool; record?: ToolRecord }[];
  extra: ToolRecord[];
}

/** Compares records with the top-level sent calls. `workspace` lets relative paths match absolute ones. */
export function score(records: readonly ToolRecord[], truth: readonly TruthTool[], workspace: string): Score {
  const expected = truth.filter((tool) => !tool.nested);
  const used = new Set<number>();
  const pairs: Score["pairs"] = expected.map((tool) => ({ truth: tool }));
  // First calls whose drawn target matches, then calls the TUI folded without naming (target "").
  for (const known of [true, false]) {
    for (const pair of pairs) {
      if (pair.record) continue;
      const index = records.findIndex((record, i) => !used.has(i) && (record.target !== "") === known && sameTool(record.tool, pair.truth.name) && (!known || sameTarget(record.target, pair.truth.target, workspace)));
      if (index < 0) continue;
      used.add(index);
      pair.record = records[index];
    }
  }
  const extra = records.filter((_, i) => !used.has(i));
  const matched = pairs.filter((pair) => pair.record);
  const duplicates = extra.filter((record) => matched.some((pair) => pair.record && pair.record.tool === record.tool && pair.record.target === record.target)).length;
  return {
    found: matched.length,
    madeUp: extra.length,
    missed: pairs.length - matched.length,
    statusRight: matched.filter((pair) => pair.record?.status === pair.truth.status).length,
    targetKnown: matched.filter((pair) => pair.record?.target !== "").length,
    duplicates,
    pairs,
    extra,
  };
}

/** Sums scores. */
export function total(scores: readonly Score[]): Omit<Score, "pairs" | "extra"> {
  const sum = (key: keyof Omit<Score, "pairs" | "extra">): number => scores.reduce((acc, s) => acc + s[key], 0);
  return { found: sum("found"), madeUp: sum("madeUp"), missed: sum("missed"), statusRight: sum("statusRight"), targetKnown: sum("targetKnown"), duplicates: sum("duplicates") };
}

export function precision(s: Pick<Score, "found" | "madeUp">): number {
  return s.found + s.madeUp === 0 ? 1 : s.found / (s.found + s.madeUp);
}

export function recall(s: Pick<Score, "found" | "missed">): number {
  return s.found + s.missed === 0 ? 1 : s.found / (s.found + s.missed);
}

/** API names the TUI cannot tell apart count as one: Grep/Glob both draw as `Search`, 2.0.x calls Agent `Task`. */
function sameTool(parsed: string, sent: string): boolean {
  const canonical = (name: string): string => (name === "Task" ? "Agent" : name === "Glob" ? "Grep" : name);
  if (canonical(parsed) === canonical(sent)) return true;
  // A folded MCP group names the server only: `mcp__weather` for `mcp__weather__get_weather`.
  return parsed.startsWith("mcp__") && sent.startsWith(`${parsed}__`);
}

/** Same target as drawn: spaces from wrapping ignored, `…` as left-out text, paths relative to the workspace. */
function sameTarget(shown: string, sent: string, workspace: string): boolean {
  const squash = (text: string): string => text.replace(/\s+/gu, "");
  const relative = sent.startsWith(`${workspace}/`) ? sent.slice(workspace.length + 1) : sent;
  for (const candidate of [sent, relative]) {
    if (squash(shown) === squash(candidate)) return true;
    if (shown.includes("…") && ellipsisMatch(shown, candidate)) return true;
  }
  return false;
}
