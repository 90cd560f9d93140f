// Tests row classification on rows copied from Claude Code 2.0.77 and 2.1.332 screens.
import { describe, expect, test } from "vitest";
import { classifyText, groupText, RowClassifier } from "./line-classifier";
import type { RowSnapshot } from "./screen";

describe("classifyText", () => {
  test("tool headers, with a coloured bullet, a blinking (blank) one, or only the bold name", () => {
    expect(classifyText("● Bash(echo hello && seq 1 5)", "gray", true)).toEqual({ kind: "header", name: "Bash", args: "echo hello && seq 1 5)", styled: true, bullet: "gray" });
    expect(classifyText("  Bash(echo hello)", "none", true)).toMatchObject({ kind: "header", name: "Bash", styled: true });
    expect(classifyText("⏺ Update(notes.txt)", "green", true)).toMatchObject({ kind: "header", name: "Update" });
    expect(classifyText('● Web Search("nightona terminal parser")', "green", true)).toMatchObject({ kind: "header", name: "Web Search" });
    expect(classifyText('● weather - get_weather (MCP)(city: "Paris")', "green", true)).toMatchObject({ kind: "header", name: "weather - get_weather (MCP)", args: 'city: "Paris")' });
    expect(classifyText("● Write(/tmp/nightona-corpus/ws/deeply/nested/directory/stru", "gray", true)).toMatchObject({ kind: "header", args: "/tmp/nightona-corpus/ws/deeply/nested/directory/stru" });
  });

  test("prose with a plain bullet is not a header, even when it looks like one", () => {
    expect(classifyText("● I'll run a command first.", "plain", false)).toEqual({ kind: "prose", text: "I'll run a command first." });
    expect(classifyText("● Note(this is prose)", "plain", false)).toMatchObject({ kind: "header", styled: false });
  });

  test("result lines, with the NBSP already read as a space", () => {
    expect(classifyText("  ⎿  Running…")).toEqual({ kind: "result", text: "Running…" });
    expect(classifyText("  ⎿  Interrupted · What should Claude do instead?")).toEqual({ kind: "result", text: "Interrupted · What should Claude do instead?" });
  });

  test("2.1.x folded groups, running and done, and prose that only starts like one", () => {
    expect(classifyText("● Reading 1 file… (ctrl+o to expand)", "gray")).toEqual({ kind: "group", text: "Reading 1 file… (ctrl+o to expand)", running: true });
    expect(classifyText("  Searched for 1 pattern, read 3 files, listed 1 directory · 2 failed (ctrl+o to expand)")).toMatchObject({ kind: "group", running: false });
    expect(classifyText("  Called weather 2 times · 1 failed (ctrl+o to expand)")).toMatchObject({ kind: "group" });
    expect(classifyText("  Calling weather… (ctrl+o to expand)")).toMatchObject({ kind: "group", running: true });
    expect(classifyText("● Reading a few files.", "plain")).toMatchObject({ kind: "prose" });
    expect(groupText("Read 2 files, listed 1 directory · 2 failed (ctrl+o to")).toMatchObject({ kind: "group", running: false });
  });

  test("spinner, turn end, rules, prompts and the banner of both versions", () => {
    expect(classifyText("✻ Unraveling… (0s · ↓ 2 tokens)")).toEqual({ kind: "spinner" });
    expect(classifyText("* Synthesizing… (esc to interrupt · 0s · ↓ 0 tokens)")).toEqual({ kind: "spinner" });
    expect(classifyText("✻ Baked for 1s · done 5:36 AM")).toEqual({ kind: "turn-done" });
    expect(classifyText("─".repeat(60))).toEqual({ kind: "rule" });
    expect(classifyText("❯ make some changes #perm")).toEqual({ kind: "prompt", text: "make some changes #perm" });
    expect(classifyText(" ▐▛███▛█   Claude Code v2.1.332")).toEqual({ kind: "banner" });
    expect(classifyText("╭─── Claude Code v2.0.77 ───────────────╮")).toEqual({ kind: "banner" });
    expect(classifyText("Resume this session with:")).toEqual({ kind: "exit" });
  });

  test("permission menus, unboxed (2.x) and boxed (the bypass warning)", () => {
    expect(classifyText(" Do you want to make this edit to notes.txt?")).toMatchObject({ kind: "question" });
    expect(classifyText(" ❯ 1. Yes")).toEqual({ kind: "option", digit: "1", label: "Yes" });
    expect(classifyText("   3. Type here to tell Claude what to do differently")).toEqual({ kind: "option", digit: "3", label: "Type here to tell Claude what to do differently" });
    expect(classifyText("│ ❯ 1. No, exit                                      │")).toEqual({ kind: "option", digit: "1", label: "No, exit" });
    expect(classifyText(" Esc to cancel · Tab to amend")).toMatchObject({ kind: "menu-hint" });
  });

  test("a background agent finishing", () => {
    expect(classifyText('● Agent "Count note lines" finished · 0s', "plain")).toEqual({ kind: "agent-finished", description: "Count note lines" });
  });

  test("other rows keep their indent", () => {
    expect(classifyText("      keeps going well past the edge")).toEqual({ kind: "indented", indent: 6, text: "keeps going well past the edge" });
    expect(classifyText("")).toEqual({ kind: "blank" });
  });
});

describe("RowClassifier", () => {
  const row = (abs: number, text: string, bullet: RowSnapshot["bullet"] = "gray"): RowSnapshot => ({ abs, text, full: false, bullet, bold: true });

  test("a text drawn again at another row reads the same, with that row's own number", () => {
    const classifier = new RowClassifier();
    const first = classifier.classify(row(3, "● Bash(ls)"));
    const again = classifier.classify(row(9, "● Bash(ls)"));
    expect(again.line).toEqual(first.line);
    expect(again.abs).toBe(9);
  });

  test("the same text with another bullet colour is classified anew", () => {
    const classifier = new RowClassifier();
    classifier.classify(row(0, "● Bash(ls)", "green"));
    expect(classifier.classify(row(1, "● Bash(ls)", "plain")).line).toMatchObject({ kind: "header", styled: true, bullet: "plain" });
  });
});
