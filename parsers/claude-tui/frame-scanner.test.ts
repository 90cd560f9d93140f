// Tests the frame scanner: where frames end, repaint marks, synchronized output, and sequences cut across chunks.
import { describe, expect, test } from "vitest";
import { utf8 } from "./cast-replay";
import { FrameScanner, type Boundary } from "./frame-scanner";

/** Scans `text` in chunks of `size` bytes and returns boundaries as stream offsets. */
function scanAll(text: string, size = Number.MAX_SAFE_INTEGER): Boundary[] {
  const bytes = utf8(text);
  const scanner = new FrameScanner();
  const found: Boundary[] = [];
  for (let at = 0; at < bytes.length; at += size) {
    for (const boundary of scanner.scan(bytes.subarray(at, at + size))) found.push({ ...boundary, index: at + boundary.index });
  }
  return found;
}

describe("FrameScanner", () => {
  test("an upward cursor move ends a frame, right after the sequence", () => {
    const text = "● Bash(ls)\r\n  ⎿  Running…\r\n\x1b[2A";
    expect(scanAll(text)).toEqual([{ index: utf8(text).length, frameEnd: true, repaint: false, drawn: true }]);
  });

  test("down, left and right moves, SGR and erase-line are not boundaries", () => {
    expect(scanAll("\x1b[2B\x1b[3C\x1b[4D\x1b[38;2;1;2;3mhi\x1b[K\x1b[10G")).toEqual([]);
  });

  test("cursor home, erase display 2/3 and reset mark a repaint", () => {
    const marks = scanAll("a\x1b[Hb\x1b[2Jc\x1b[3Jd\x1bce\x1b[1;1Hf\x1b[5;1Hg\x1b[J");
    expect(marks.map((m) => m.repaint)).toEqual([true, true, true, true, true, false]);
  });

  test("inside synchronized output only the end of the frame counts", () => {
    const frame = "\x1b[?2026h\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[G● Write(a)\r\n\x1b[?2026l";
    expect(scanAll(frame)).toEqual([{ index: utf8(frame).length, frameEnd: true, repaint: false, drawn: true }]);
  });

  test("a repaint inside a synchronized frame is still reported, without ending the frame", () => {
    const marks = scanAll("\x1b[?2026h\x1b[2J\x1b[Hx\x1b[?2026l");
    expect(marks.map((m) => [m.frameEnd, m.repaint])).toEqual([
      [false, true],
      [false, true],
      [true, false],
    ]);
  });

  test("strings (OSC titles, DCS) are skipped to their end; an ESC inside one ends it, as in xterm", () => {
    expect(scanAll("\x1b]0;✳ Claude Code [1A\x07\x1bP1$r[1A\x1b\\ok")).toEqual([]);
    expect(scanAll("\x1b]0;title\x1b\\\x1b[A")).toHaveLength(1);
    expect(scanAll("\x1b]0;cut short\x1b[A")).toHaveLength(1);
  });

  test("any cut of the stream gives the same boundaries", () => {
    const text = "\x1b[?2026hx\x1b[1Ay\x1b[?2026l\x1b]0;t\x07z\x1b[12;1Hq\x1b[3A\x1b7\x1b8\x1bM";
    const whole = scanAll(text);
    expect(whole).toHaveLength(5);
    for (const size of [1, 2, 3, 5]) expect(scanAll(text, size)).toEqual(whole);
  });

  test("a boundary says whether anything but cursor moves and colours came since the previous one", () => {
    // The end of one frame (cursor parked in the input box), then the next frame's move to its first changed row.
    const text = "x\x1b[2C\x1b[4A" + "\x1b[4B\r\x1b[38;2;1;2;3m\x1b[?25l\x1b[7A" + "\x1b[2Ky\x1b[1A" + "\x1b]0;t\x07\x1b[1A" + "\x1b[M\x1b[1A";
    expect(scanAll(text).map((m) => m.drawn)).toEqual([true, false, true, true, true]);
    for (const size of [1, 2, 3]) expect(scanAll(text, size).map((m) => m.drawn)).toEqual([true, false, true, true, true]);
  });

  test("cancel bytes and a new ESC abandon a sequence", () => {
    expect(scanAll("\x1b[1\x18A\x1b[1\x1b[A")).toHaveLength(1);
  });
});
