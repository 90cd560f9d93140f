// Tests reading blocks out of classified rows: wrapped headers, wrapped results, folded groups and error lines without a header.
import { describe, expect, test } from "vitest";
import { readBlocks, sameBlocks } from "./block-reader";
import { classifyText, type ClassifiedRow } from "./line-classifier";
import type { ColorClass } from "./screen";

/** Rows from text lines; `|` at the end of a line marks it as reaching the right edge. Headers get a gray bullet. */
function rowsOf(...lines: string[]): ClassifiedRow[] {
  return lines.map((line, abs) => {
    const full = line.endsWith("|");
    const text = full ? line.slice(0, -1) : line;
    const bullet: ColorClass = text.startsWith("●") ? "gray" : "none";
    return { abs, raw: text, text, full, bullet, bold: true, line: classifyText(text, bullet, true), busy: false };
  });
}

describe("readBlocks", () => {
  test("a header whose arguments wrap: a short row lost a space, a full row was cut mid-word", () => {
    const blocks = readBlocks(
      rowsOf(
        "● Bash(echo 'this is a deliberately long command line that",
        "      keeps going')",
        "  ⎿  this is a deliberately long command line that keep|",
        "     s going",
        "",
        "● Write(/tmp/nightona-corpus/ws/deeply/nested/directory/stru|",
        "       cture/file-name.txt)",
        "  ⎿  Wrote 1 line to /tmp/nightona-corpus/ws/deeply/nes|",
        "     ted/directory/structure/file-name.txt",
        "      1 deep",
      ),
    );
    expect(blocks).toEqual([
      expect.objectContaining({ kind: "call", row: 0, name: "Bash", args: "echo 'this is a deliberately long command line that keeps going'", closed: true, results: ["this is a deliberately long command line that keeps going"] }),
      expect.objectContaining({ kind: "call", row: 5, name: "Write", args: "/tmp/nightona-corpus/ws/deeply/nested/directory/structure/file-name.txt", results: ["Wrote 1 line to /tmp/nightona-corpus/ws/deeply/nested/directory/structure/file-name.txt"] }),
    ]);
  });

  test("a header still being drawn is open", () => {
    expect(readBlocks(rowsOf("● Bash(echo hel"))).toEqual([expect.objectContaining({ args: "echo hel", closed: false, results: [] })]);
  });

  test("a folded group with its current item, and a group line wrapped at 60 columns", () => {
    expect(readBlocks(rowsOf("● Reading 2 files, listing 1 directory… (ctrl+o to expand)", "  ⎿  $ ls /nonexistent-dir"))).toEqual([
      { kind: "group", row: 0, text: "Reading 2 files, listing 1 directory… (ctrl+o to expand)", running: true, items: ["$ ls /nonexistent-dir"] },
    ]);
    expect(readBlocks(rowsOf("  Read 2 files, listed 1 directory · 2 failed (ctrl+o to", "  expand)"))).toEqual([
      expect.objectContaining({ kind: "group", running: false, text: "Read 2 files, listed 1 directory · 2 failed (ctrl+o to" }),
    ]);
    expect(readBlocks(rowsOf("  Searched for 1 pattern, read 3 files, listed", "  1 directory (ctrl+o to expand)"))).toEqual([
      expect.objectContaining({ kind: "group", text: "Searched for 1 pattern, read 3 files, listed 1 directory (ctrl+o to expand)" }),
    ]);
  });

  test("an error line for a tool the session lacks, with no header of its own", () => {
    expect(readBlocks(rowsOf("● Done.", "", "  ⎿  Error: No such tool available: TodoWrite. TodoWrite is disabled"))).toEqual([
      { kind: "missing-tool", row: 2, tool: "TodoWrite", text: "Error: No such tool available: TodoWrite. TodoWrite is disabled", failed: true },
    ]);
  });

  test("a background agent finishing and the banner", () => {
    expect(readBlocks(rowsOf(' ▐▛███▛█   Claude Code v2.1.332', '● Agent "Count note lines" finished · 0s')).map((block) => block.kind)).toEqual(["banner", "agent-finished"]);
  });

  test("sameBlocks: two readings of the same drawing are alike; any field drawn differently tells them apart", () => {
    const drawing = ["● Bash(ls)", "  ⎿  a.txt", "● Read 1 file…", "  ⎿  notes.txt"];
    expect(sameBlocks(readBlocks(rowsOf(...drawing)), readBlocks(rowsOf(...drawing)))).toBe(true);
    expect(sameBlocks(readBlocks(rowsOf(...drawing)), readBlocks(rowsOf("● Bash(ls)", "  ⎿  b.txt", ...drawing.slice(2))))).toBe(false);
    expect(sameBlocks(readBlocks(rowsOf(...drawing)), readBlocks(rowsOf("", ...drawing)))).toBe(false);
  });
});
