// Tests the xterm-backed screen: absolute row numbers through scrolling and trimming, changed rows, UTF-8 cut across writes, colours.
import { describe, expect, test } from "vitest";
import { incompleteTail, rgbClass, Screen } from "./screen";
import { bytes, COLORS, fg, header, rows } from "./test-support";

function screen(cols = 40, rowCount = 5, scrollback = 20): Screen {
  return new Screen({ cols, rows: rowCount, scrollback });
}

describe("Screen", () => {
  test("rows keep their absolute number as they scroll into history and out of it", () => {
    const s = screen(20, 3, 2);
    s.write(bytes(rows(...Array.from({ length: 10 }, (_, i) => `line ${i}`))));
    // 10 lines, 3 on screen, 2 in history: lines 0-4 were trimmed away.
    expect(s.top).toBe(7);
    expect(s.oldest).toBe(5);
    expect(s.read(5)?.text).toBe("line 5");
    expect(s.read(9)?.text).toBe("line 9");
    expect(s.read(4)).toBeUndefined();
  });

  test("takeChanged hands out the rows drawn since the last call, once", () => {
    const s = screen();
    s.write(bytes(rows("alpha", "beta")));
    expect(s.takeChanged(100).map((row) => row.text)).toEqual(["alpha", "beta"]);
    expect(s.takeChanged(100)).toEqual([]);
    s.write(bytes("\x1b[1A\rgamma"));
    expect(s.takeChanged(100).map((row) => [row.abs, row.text])).toContainEqual([0, "gamma"]);
  });

  test("takeChanged leaves out rows whose cells are as it last handed them out", () => {
    const s = screen();
    s.write(bytes(rows("alpha", "beta", "e\u0301")));
    s.takeChanged(100);
    // The cursor crosses every row and redraws "beta" as it was; only row 0 is drawn anew.
    s.write(bytes("\x1b[3A\rgamma\r\n\x1b[2Cta\r\n"));
    const changed = s.takeChanged(100);
    // Row 2 holds a combined character: its cells do not pin its text down, so it is always read.
    expect(changed.map((row) => [row.abs, row.text])).toEqual([
      [0, "gamma"],
      [2, "e\u0301"],
    ]);
  });

  test("a row drawn again lower down (the live area moved) reads as drawn there, bullet colour included", () => {
    const s = screen();
    s.write(bytes(rows("top", header("Bash", "ls"), "✻ Working…")));
    s.takeChanged(100);
    // A new row pushes the header and the spinner down; the header's bullet turns green as it moves.
    s.write(bytes(`\x1b[1A\rnew line\x1b[K\r\n${header("Bash", "ls", "green")}\x1b[K\r\n✻ Working…\x1b[K`));
    expect(s.takeChanged(100).map((row) => [row.abs, row.text, row.bullet])).toEqual([
      [1, "new line", "none"],
      [2, "● Bash(ls)", "green"],
      [3, "✻ Working…", "none"],
    ]);
  });

  test("rows that scroll off between reads are still handed out", () => {
    const s = screen(20, 3, 50);
    s.takeChanged(100);
    s.write(bytes(rows("a", "b", "c", "d", "e", "f")));
    expect(s.takeChanged(100).map((row) => row.text)).toEqual(["a", "b", "c", "d", "e", "f"]);
  });

  test("a UTF-8 character cut across writes is drawn whole (xterm.js mis-decodes E2 80 A6 when split)", () => {
    const s = screen();
    for (const byte of bytes("a…b ⎿ é 日本 🎉")) s.write(Uint8Array.of(byte));
    expect(s.read(0)?.text).toBe("a…b ⎿ é 日本 🎉");
  });

  test("incompleteTail finds an unfinished character at the end", () => {
    const ellipsis = bytes("x…");
    expect(incompleteTail(ellipsis)).toBe(ellipsis.length);
    expect(incompleteTail(ellipsis.subarray(0, 2))).toBe(1);
    expect(incompleteTail(ellipsis.subarray(0, 3))).toBe(1);
    expect(incompleteTail(bytes("🎉").subarray(0, 3))).toBe(0);
    expect(incompleteTail(bytes("plain"))).toBe(5);
  });

  test("reads the bullet colour class, the bold name and whether the row is full", () => {
    const s = screen(20, 5);
    s.write(bytes(rows(header("Bash", "ls", "green"), header("Bash", "ls", "red"), fg(COLORS.white, "●") + " prose", "x".repeat(20))));
    expect(s.read(0)).toMatchObject({ text: "● Bash(ls)", bullet: "green", bold: true, full: false });
    expect(s.read(1)).toMatchObject({ bullet: "red" });
    expect(s.read(2)).toMatchObject({ bullet: "plain", bold: false });
    expect(s.read(3)).toMatchObject({ bullet: "none", full: true });
  });

  test("rgbClass sorts Claude's palette", () => {
    expect(rgbClass(153, 153, 153)).toBe("gray");
    expect(rgbClass(78, 186, 101)).toBe("green");
    expect(rgbClass(255, 107, 128)).toBe("red");
    expect(rgbClass(255, 255, 255)).toBe("plain");
    expect(rgbClass(0, 0, 0)).toBe("plain");
    expect(rgbClass(215, 119, 87)).toBe("other");
  });

  test("a resize marks the viewport for reading again", () => {
    const s = screen(20, 3);
    s.write(bytes("hello"));
    s.takeChanged(100);
    s.resize(30, 4);
    expect(s.takeChanged(100).map((row) => row.text)).toContain("hello");
  });
});
