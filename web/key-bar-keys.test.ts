import { describe, expect, it } from "vitest";
import { type BarKey, keyBytes, withCtrl } from "./key-bar-keys";

const plain = { ctrl: false, applicationCursor: false };

describe("keyBytes", () => {
  it("sends what a keyboard sends for Esc, Tab, Shift-Tab, Ctrl-C and /", () => {
    const expected: Array<[BarKey, string]> = [
      ["esc", "\x1b"],
      ["tab", "\t"],
      ["shift-tab", "\x1b[Z"],
      ["ctrl-c", "\x03"],
      ["slash", "/"],
    ];
    for (const [key, bytes] of expected) expect(keyBytes(key, plain), key).toBe(bytes);
  });

  it("sends arrows in normal and in application cursor mode", () => {
    expect(["up", "down", "right", "left"].map((key) => keyBytes(key as BarKey, plain))).toEqual([
      "\x1b[A",
      "\x1b[B",
      "\x1b[C",
      "\x1b[D",
    ]);
    expect(keyBytes("up", { ctrl: false, applicationCursor: true })).toBe("\x1bOA");
    expect(keyBytes("left", { ctrl: false, applicationCursor: true })).toBe("\x1bOD");
  });

  it("adds Ctrl to arrows as a modifier parameter", () => {
    expect(keyBytes("left", { ctrl: true, applicationCursor: false })).toBe("\x1b[1;5D");
    expect(keyBytes("right", { ctrl: true, applicationCursor: true })).toBe("\x1b[1;5C");
  });
});

describe("withCtrl", () => {
  it("turns letters of either case into their control codes", () => {
    expect(withCtrl("c")).toBe("\x03");
    expect(withCtrl("C")).toBe("\x03");
    expect(withCtrl("a")).toBe("\x01");
    expect(withCtrl("z")).toBe("\x1a");
    expect(withCtrl("r")).toBe("\x12");
  });

  it("maps the punctuation that has a control form", () => {
    expect(withCtrl("[")).toBe("\x1b");
    expect(withCtrl("\\")).toBe("\x1c");
    expect(withCtrl("]")).toBe("\x1d");
    expect(withCtrl("_")).toBe("\x1f");
    expect(withCtrl("/")).toBe("\x1f");
    expect(withCtrl(" ")).toBe("\x00");
    expect(withCtrl("?")).toBe("\x7f");
  });

  it("applies to the first character only and leaves the others as typed", () => {
    expect(withCtrl("dx")).toBe("\x04x");
    expect(withCtrl("é")).toBe("é");
    expect(withCtrl("")).toBe("");
  });
});
