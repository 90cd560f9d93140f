import { describe, expect, it } from "vitest";
import type { ToolEvent, ToolStatus } from "../parsers/protocol";
import { filterCalls, formatDuration, ToolCallLog, toolsPresent } from "./tool-calls";

function event(id: string, tool: string, status: ToolStatus, extra: Partial<ToolEvent> = {}): ToolEvent {
  return { type: "tool", id, tool, target: `${tool.toLowerCase()}-target`, status, start: 0, ...extra };
}

describe("ToolCallLog", () => {
  it("keeps calls in order of first appearance and replaces a call when it changes", () => {
    const log = new ToolCallLog();
    log.apply(event("a", "Write", "running"), 0);
    log.apply(event("b", "Bash", "running"), 10);
    const before = log.calls;
    log.apply(event("a", "Write", "done", { summary: "Wrote 1 line" }), 20);
    expect(log.calls).not.toBe(before);
    expect(log.calls.map((call) => [call.id, call.status, call.summary])).toEqual([
      ["a", "done", "Wrote 1 line"],
      ["b", "running", undefined],
    ]);
    expect(log.calls[0]).not.toHaveProperty("type");
  });

  it("measures from the first sighting under way to the final status", () => {
    const log = new ToolCallLog();
    log.apply(event("a", "Bash", "running"), 1_000);
    log.apply(event("a", "Bash", "running", { summary: "…" }), 1_500);
    expect(log.calls[0]!.durationMs).toBeUndefined();
    log.apply(event("a", "Bash", "done"), 3_250);
    expect(log.calls[0]!.durationMs).toBe(2_250);
    // A later change (a summary filled in) keeps the measured time.
    log.apply(event("a", "Bash", "done", { summary: "ok" }), 9_000);
    expect(log.calls[0]!.durationMs).toBe(2_250);
  });

  it("gives no duration to a call first seen already over, nor to a denied one", () => {
    const log = new ToolCallLog();
    log.apply(event("old", "Read", "done"), 0);
    log.apply(event("ask", "Write", "awaiting-permission"), 0);
    log.apply(event("ask", "Write", "denied"), 5_000);
    expect(log.calls.map((call) => call.durationMs)).toEqual([undefined, undefined]);
  });

  it("starts the clock again when a call waiting for permission starts running", () => {
    const log = new ToolCallLog();
    log.apply(event("a", "Write", "awaiting-permission"), 0);
    log.apply(event("a", "Write", "running"), 4_000);
    log.apply(event("a", "Write", "done"), 4_300);
    expect(log.calls[0]!.durationMs).toBe(300);
  });

  it("is replaced by a snapshot after clear, and keeps the clock of calls that come back", () => {
    const log = new ToolCallLog();
    log.apply(event("a", "Bash", "running"), 0);
    log.apply(event("b", "Read", "done"), 0);
    log.clear();
    expect(log.calls).toEqual([]);
    log.apply(event("a", "Bash", "running"), 500); // the snapshot after a reconnect
    log.apply(event("a", "Bash", "done"), 2_000);
    expect(log.calls.map((call) => [call.id, call.durationMs])).toEqual([["a", 2_000]]);
  });
});

describe("toolsPresent and filterCalls", () => {
  const log = new ToolCallLog();
  log.apply(event("1", "Write", "done"), 0);
  log.apply(event("2", "Bash", "done"), 0);
  log.apply(event("3", "Write", "running"), 0);

  it("lists each tool once, in order of first appearance", () => {
    expect(toolsPresent(log.calls)).toEqual(["Write", "Bash"]);
  });

  it("keeps one tool's calls, or all of them for null", () => {
    expect(filterCalls(log.calls, "Write").map((call) => call.id)).toEqual(["1", "3"]);
    expect(filterCalls(log.calls, null)).toBe(log.calls);
  });
});

describe("formatDuration", () => {
  it("reads well at every scale", () => {
    expect(formatDuration(420)).toBe("0.4s");
    expect(formatDuration(9_940)).toBe("9.9s");
    expect(formatDuration(12_400)).toBe("12s");
    expect(formatDuration(125_000)).toBe("2m 05s");
    expect(formatDuration(3_720_000)).toBe("1h 02m");
  });
});
