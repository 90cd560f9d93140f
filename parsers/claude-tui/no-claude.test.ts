// Output that is not Claude Code's, or is hostile: no tool calls, and work and memory stay bounded by the input size.
import { describe, expect, test } from "vitest";
import { utf8 } from "./cast-replay";
import { ClaudeTuiParser } from "./claude-tui-parser";
import type { ParserEvent } from "./events";
import { header, result } from "./test-support";

const COLS = 120;
const ROWS = 40;
const MIB = 1024 * 1024;
/** A typical PTY read, in bytes. */
const CHUNK = 16 * 1024;
/** Cells the parser may read per byte of output (its budget), plus one viewport per forced read and its start budget. */
const CELLS_PER_BYTE_BOUND = 4;
const START_AND_FLUSH_CELLS = COLS * ROWS * 4 + COLS * (ROWS + 50) * 2;
/** Heap the parser may grow by while reading 10 MiB; loose, it only catches unbounded growth. */
const MAX_HEAP_GROWTH_BYTES = 200 * MIB;

function repeatTo(text: string, size: number): Uint8Array {
  const unit = utf8(text);
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += unit.length) out.set(unit.subarray(0, Math.min(unit.length, size - at)), at);
  return out;
}

function junk(size: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length: size }, () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state & 0xff;
  });
}

function feed(data: Uint8Array): { parser: ClaudeTuiParser; events: ParserEvent[] } {
  const parser = new ClaudeTuiParser({ cols: COLS, rows: ROWS });
  const events: ParserEvent[] = [];
  parser.onEvent((event) => events.push(event));
  for (let at = 0; at < data.length; at += CHUNK) parser.write(data.subarray(at, at + CHUNK));
  parser.flush();
  return { parser, events };
}

describe("output that is not Claude Code's", () => {
  test.each([
    ["a shell session", repeatTo("$ ls -la\r\ndrwxr-xr-x  4 user staff 128 Nov 29 src\r\n\x1b[01;34mbuild\x1b[0m  \x1b[32mrun.sh\x1b[0m\r\n● Bash(ls) is just text here\r\n  ⎿  so is this\r\n[====>     ] 42%\r", 2 * MIB)],
    ["binary junk", junk(2 * MIB, 7)],
    ["one 10 MiB line", repeatTo("x", 10 * MIB)],
    ["a cursor-movement flood", repeatTo("\x1b[A\x1b[B\x1b[5;5H\x1b[2K", 2 * MIB)],
    ["a clear-screen flood", repeatTo("\x1b[2J\x1b[3J\x1b[H", MIB)],
    ["an unterminated synchronized frame", repeatTo("\x1b[?2026h● Bash(x)\r\n\x1b[1A", 2 * MIB)],
    ["an unterminated title", utf8(`\x1b]0;${"t".repeat(MIB)}`)],
  ])("%s: no events, and screen reading within budget", (_name, data) => {
    const heapBefore = process.memoryUsage().heapUsed;
    const { parser, events } = feed(data);
    expect(events.filter((event) => event.type === "tool")).toEqual([]);
    expect(parser.tools()).toEqual([]);
    const stats = parser.stats();
    expect(stats.bytes).toBe(data.length);
    expect(stats.cellsRead).toBeLessThanOrEqual(data.length * CELLS_PER_BYTE_BOUND + START_AND_FLUSH_CELLS);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
    parser.dispose();
  });

  test("a shell session reports no state either", () => {
    const { events } = feed(repeatTo("user@host:~$ echo hi\r\nhi\r\n", MIB));
    expect(events).toEqual([]);
  });

  test("a flood of fake tool headers after a fake banner keeps at most 5,000 calls", () => {
    const lines = [" ▐▛███▛█   Claude Code v2.1.332\r\n"];
    for (let i = 0; i < 6_000; i++) lines.push(`${header("Bash", `echo ${i}`, "green")}\r\n${result(String(i))}\r\n\x1b[1A\x1b[1B`);
    const { parser } = feed(utf8(lines.join("")));
    const tools = parser.tools();
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.length).toBeLessThanOrEqual(5_000);
  });
});
