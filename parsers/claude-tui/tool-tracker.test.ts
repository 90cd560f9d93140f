// Tests the tool-call tracker: one record per call through redraws, moves and repaints, statuses, permission answers, folded groups.
import { describe, expect, test } from "vitest";
import type { Block, CallBlock, GroupBlock } from "./block-reader";
import { ToolTracker, type FrameContext } from "./tool-tracker";

function call(row: number, name: string, args: string, results: string[] = [], bullet: CallBlock["bullet"] = "gray"): CallBlock {
  return { kind: "call", row, name, args, closed: true, bullet, styled: true, results, resultRows: results.map((_, i) => row + 1 + i) };
}

function group(row: number, text: string, items: string[] = []): GroupBlock {
  return { kind: "group", row, text, running: text.includes("…"), items };
}

function frame(offset: number, extra: Partial<FrameContext> = {}): FrameContext {
  return { offset, windowStart: 0, colorSeen: true, permissionAsked: false, ...extra };
}

/** Applies frames in order and returns the final records. */
function run(frames: { blocks: Block[]; context?: Partial<FrameContext> }[]): ReturnType<ToolTracker["records"]> {
  const tracker = new ToolTracker();
  frames.forEach((f, i) => tracker.apply(f.blocks, frame(i * 100, f.context)));
  return tracker.records();
}

describe("ToolTracker", () => {
  test("a call redrawn at its row (blinking, result arriving) stays one record, start and end at its frames", () => {
    const tracker = new ToolTracker();
    expect(tracker.apply([call(5, "Bash", "ls", [], "none")], frame(10))).toEqual([{ id: "t1", tool: "Bash", target: "ls", status: "running", start: 10 }]);
    expect(tracker.apply([call(5, "Bash", "ls", ["Running…"])], frame(20))).toEqual([]);
    expect(tracker.apply([call(5, "Bash", "ls", ["a.txt"], "green")], frame(30))).toEqual([{ id: "t1", tool: "Bash", target: "ls", status: "done", summary: "a.txt", start: 10, end: 30 }]);
    expect(tracker.records()).toHaveLength(1);
  });

  test("a call that moved down (the live region grew above it) is the same call", () => {
    const records = run([{ blocks: [call(5, "Bash", "npm test", ["Running…"])] }, { blocks: [call(7, "Bash", "npm test", ["ok"], "green")] }]);
    expect(records).toEqual([expect.objectContaining({ target: "npm test", status: "done" })]);
  });

  test("the same command run again below the first is a new call", () => {
    const records = run([{ blocks: [call(5, "Bash", "ls", ["a"], "green")] }, { blocks: [call(5, "Bash", "ls", ["a"], "green"), call(9, "Bash", "ls", ["Running…"])] }]);
    expect(records.map((r) => r.status)).toEqual(["done", "running"]);
  });

  test("a repaint that draws the transcript again adds no calls", () => {
    const tracker = new ToolTracker();
    const first = [call(5, "Write", "a.txt", ["Wrote 1 line"], "green"), call(9, "Bash", "ls", ["a.txt"], "green")];
    tracker.apply(first, frame(0));
    tracker.startReplay();
    tracker.apply([...first, call(40, "Write", "a.txt", ["Wrote 1 line"], "green"), call(44, "Bash", "ls", ["a.txt"], "green")], frame(100));
    tracker.apply([call(40, "Write", "a.txt", ["Wrote 1 line"], "green"), call(44, "Bash", "ls", ["a.txt"], "green"), call(48, "Bash", "pwd", ["Running…"])], frame(200, { windowStart: 30 }));
    expect(tracker.records().map((r) => `${r.tool}(${r.target}) ${r.status}`)).toEqual(["Write(a.txt) done", "Bash(ls) done", "Bash(pwd) running"]);
  });

  test("interrupted while running, denied when the menu was answered no", () => {
    expect(run([{ blocks: [call(5, "Bash", "sleep 9", ["Running…"])] }, { blocks: [call(5, "Bash", "sleep 9", ["Interrupted · What should Claude do instead?"], "red")] }])[0]?.status).toBe("interrupted");
    const denied = run([
      { blocks: [call(5, "Bash", "rm x", ["Running…"])], context: { permissionAsked: true } },
      { blocks: [call(5, "Bash", "rm x", ["Running…"])], context: { permissionAsked: true } },
      { blocks: [call(5, "Bash", "rm x", ["Interrupted · What should Claude do instead?"], "red")] },
    ]);
    expect(denied[0]?.status).toBe("denied");
    expect(run([{ blocks: [call(5, "Update", "a.txt", ["Rejected update to a.txt"], "red")] }])[0]).toMatchObject({ tool: "Edit", status: "denied" });
  });

  test("approved, then interrupted while running, is an interrupt", () => {
    const records = run([
      { blocks: [call(5, "Bash", "make", ["Waiting…"])], context: { permissionAsked: true } },
      { blocks: [call(5, "Bash", "make", ["Running…"])] },
      { blocks: [call(5, "Bash", "make", ["Interrupted · What should Claude do instead?"], "red")] },
    ]);
    expect(records[0]?.status).toBe("interrupted");
  });

  test("a final status does not go back to running", () => {
    expect(run([{ blocks: [call(5, "Bash", "ls", ["x"], "green")] }, { blocks: [call(5, "Bash", "ls", [], "none")] }])[0]?.status).toBe("done");
  });

  test("a folded group: items name calls, counts add calls the TUI never named", () => {
    const records = run([
      { blocks: [group(5, "Reading 1 file… (ctrl+o to expand)")] },
      { blocks: [group(5, "Reading 1 file… (ctrl+o to expand)", ["notes.txt"])] },
      { blocks: [group(5, "Reading 2 files, listing 1 directory… (ctrl+o to expand)", ["$ ls src"])] },
      { blocks: [group(5, "Read 2 files, listed 1 directory (ctrl+o to expand)")] },
    ]);
    expect(records.map((r) => `${r.tool}(${r.target}) ${r.status}`)).toEqual(["Read(notes.txt) done", "Bash(ls src) done", "Read() done"]);
  });

  test("a group whose calls all failed marks them as errors", () => {
    const records = run([{ blocks: [group(5, "Called weather 2 times · 2 failed (ctrl+o to expand)")] }]);
    expect(records.map((r) => `${r.tool} ${r.status}`)).toEqual(["mcp__weather error", "mcp__weather error"]);
  });

  test("Search becomes Grep or Glob from the error naming the tool; a header-less error is its own call", () => {
    const records = run([
      { blocks: [call(5, "Search", 'pattern: "**/*.ts"', ["Error: No such tool available: Glob. Glob is not available"], "red")] },
      { blocks: [{ kind: "missing-tool", row: 9, tool: "TodoWrite", text: "Error: No such tool available: TodoWrite.", failed: true }] },
    ]);
    expect(records.map((r) => `${r.tool}(${r.target}) ${r.status}`)).toEqual(["Glob(**/*.ts) error", "TodoWrite() error"]);
  });

  test("a background agent is done when its finish line shows", () => {
    const records = run([
      { blocks: [call(5, "Agent", "Count lines", ["Backgrounded agent (↓ to manage · ctrl+o to expand)"])] },
      { blocks: [{ kind: "agent-finished", row: 12, description: "Count lines" }] },
    ]);
    expect(records[0]).toMatchObject({ tool: "Agent", status: "done" });
  });

  test("without colours anywhere, only known tool names count as headers", () => {
    const plain = (name: string): CallBlock => ({ ...call(5, name, "x", ["ok"], "plain"), styled: false });
    expect(run([{ blocks: [plain("Bash")], context: { colorSeen: false } }])).toHaveLength(1);
    expect(run([{ blocks: [plain("Note")], context: { colorSeen: false } }])).toHaveLength(0);
    expect(run([{ blocks: [plain("Bash")], context: { colorSeen: true } }])).toHaveLength(0);
  });

  test("the same blocks again change nothing, and a repaint reads them anew", () => {
    const tracker = new ToolTracker();
    const blocks = (): Block[] => [call(5, "Bash", "ls", ["Running…"]), group(8, "Reading 1 file…", ["a.txt"])];
    expect(tracker.apply(blocks(), frame(10))).toHaveLength(2);
    expect(tracker.apply(blocks(), frame(20))).toEqual([]);
    // After a repaint the same drawing at a new row is the known call again, not a new one.
    tracker.startReplay();
    expect(tracker.apply([call(2, "Bash", "ls", ["ok"], "green")], frame(30))).toEqual([expect.objectContaining({ id: "t1", status: "done", end: 30 })]);
    expect(tracker.records()).toHaveLength(2);
  });
});
