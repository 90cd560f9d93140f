// Tests reading Claude's state from the viewport: idle, busy, permission menus of 2.0.x and 2.1.x with their keys, exited.
import { describe, expect, test } from "vitest";
import { classifyText, type ClassifiedRow } from "./line-classifier";
import { readState } from "./state-reader";

function rowsOf(...lines: string[]): ClassifiedRow[] {
  return lines.map((text, abs) => ({ abs, raw: text, text, full: false, bullet: "none", bold: false, line: classifyText(text), busy: /esc to interrupt/i.test(text) }));
}

const RULE = "─".repeat(60);

describe("readState", () => {
  test("idle at the input box, busy while the footer offers esc to interrupt", () => {
    expect(readState(rowsOf("● Done.", "", RULE, "❯ ", RULE, "  ⏸ manual mode on · ? for shortcuts"))).toEqual({ state: "idle" });
    expect(readState(rowsOf("✻ Generating… (0s · ↓ 3 tokens)", "", RULE, "❯ ", RULE, "  ⏸ manual mode on · esc to interrupt"))).toEqual({ state: "busy" });
  });

  test("a 2.1.x permission menu: digits pick, Esc cancels, wrapped labels are joined", () => {
    const reading = readState(
      rowsOf(
        "● Update(notes.txt)",
        RULE,
        " Edit file",
        " Do you want to make this edit to notes.txt?",
        " ❯ 1. Yes",
        "   2. Yes, and switch to accept edits (auto-approve file edits) for this",
        "      session (shift+tab)",
        "   3. No",
        " Esc to cancel · Tab to amend",
      ),
    );
    expect(reading).toEqual({
      state: "awaiting-permission",
      toolPermission: true,
      options: [
        { label: "Yes", keys: "1" },
        { label: "Yes, and switch to accept edits (auto-approve file edits) for this session (shift+tab)", keys: "2" },
        { label: "No", keys: "3" },
        { label: "Cancel (Esc)", keys: "\x1b" },
      ],
    });
  });

  test("a 2.0.x menu: its text-field option is picked with its digit and sent with Enter", () => {
    const reading = readState(rowsOf(" Do you want to proceed?", " ❯ 1. Yes", "   2. Yes, and don't ask again for rm commands", "   3. Type here to tell Claude what to do differently", "", " Esc to cancel"));
    expect(reading?.options?.[2]).toEqual({ label: "Type here to tell Claude what to do differently", keys: "3\r" });
  });

  test("a start-up menu is a menu too, not a tool permission", () => {
    const reading = readState(rowsOf("│ WARNING: Claude Code running in Bypass Permissions mode │", "│ ❯ 1. No, exit │", "│   2. Yes, I accept │", "   Enter to confirm · Esc to cancel"));
    expect(reading).toMatchObject({ state: "awaiting-permission", toolPermission: false, options: [{ label: "No, exit", keys: "1" }, { label: "Yes, I accept", keys: "2" }, { label: "Cancel (Esc)", keys: "\x1b" }] });
  });

  test("a menu above the input box is history, not a question", () => {
    expect(readState(rowsOf(" Do you want to proceed?", " ❯ 1. Yes", " Esc to cancel", RULE, "❯ ", RULE))).toEqual({ state: "idle" });
  });

  test("exited after the resume hint; nothing clear before the first input box", () => {
    expect(readState(rowsOf(RULE, "❯ ", RULE, "", "Resume this session with:", "claude --resume 5c4f0015-cd20-472f-8016-f70a2c4c72c8"))).toEqual({ state: "exited" });
    expect(readState(rowsOf("$ ls", "a.txt"))).toBeUndefined();
  });
});
