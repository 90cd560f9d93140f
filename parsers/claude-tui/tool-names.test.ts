// Tests the display-name → API-name mapping, target extraction, group summaries and target comparison.
import { describe, expect, test } from "vitest";
import { categoryOfCall, parseGroupSummary } from "./group-summary";
import { ellipsisMatch, targetsCompatible } from "./target-match";
import { identify } from "./tool-names";

describe("identify", () => {
  test.each([
    ["Bash", "echo hello && seq 1 5", "Bash", "echo hello && seq 1 5"],
    ["Update", "notes.txt", "Edit", "notes.txt"],
    ["Write", "/tmp/ws/out.txt", "Write", "/tmp/ws/out.txt"],
    ["Fetch", 'url: "http://127.0.0.1:9/page", prompt: "Summarize the page"', "WebFetch", "http://127.0.0.1:9/page"],
    ["Fetch", "https://example.com", "WebFetch", "https://example.com"],
    ["Web Search", '"nightona terminal parser"', "WebSearch", "nightona terminal parser"],
    ["Agent", "Count note lines", "Agent", "Count note lines"],
    ["Task", "Count note lines", "Agent", "Count note lines"],
    ["weather - get_weather (MCP)", 'city: "Paris"', "mcp__weather__get_weather", "Paris"],
    ["NotebookEdit", "/tmp/ws/analysis.ipynb", "NotebookEdit", "/tmp/ws/analysis.ipynb"],
    ["Skill", "pdf", "Skill", "pdf"],
  ])("%s(%s) is %s with target %s", (name, args, tool, target) => {
    expect(identify(name, args)).toEqual({ tool, target });
  });

  test("Search is Grep for a regular pattern, Glob for a glob pattern", () => {
    expect(identify("Search", 'pattern: "gamma", path: "/tmp/ws"')).toEqual({ tool: "Grep", target: "gamma" });
    expect(identify("Search", 'pattern: "**/*.ts"')).toEqual({ tool: "Glob", target: "**/*.ts" });
    expect(identify("Search", 'pattern: "foo.*bar"')).toEqual({ tool: "Grep", target: "foo.*bar" });
    expect(identify("Search", 'pattern: "*.md", output_mode: "content"')).toMatchObject({ tool: "Grep" });
  });

  test("a Bash command keeps its colons and quotes", () => {
    expect(identify("Bash", 'echo "a: b", c')).toEqual({ tool: "Bash", target: 'echo "a: b", c' });
  });
});

describe("parseGroupSummary", () => {
  test("counts by kind and failures", () => {
    expect(parseGroupSummary("Searched for 1 pattern, read 3 files, listed 1 directory · 2 failed (ctrl+o to expand)")).toEqual({
      parts: [
        { category: "search", count: 1, tool: "Grep" },
        { category: "read", count: 3, tool: "Read" },
        { category: "list", count: 1, tool: "Bash" },
      ],
      failed: 2,
    });
    expect(parseGroupSummary("Calling weather 2 times… (ctrl+o to expand)").parts).toEqual([{ category: "call:weather", count: 2, tool: "mcp__weather" }]);
    expect(parseGroupSummary("Reading 1 file…").parts).toEqual([{ category: "read", count: 1, tool: "Read" }]);
  });

  test("shell commands count as what they do", () => {
    expect(categoryOfCall("Bash", "cat a.txt")).toBe("read");
    expect(categoryOfCall("Bash", "ls -la src")).toBe("list");
    expect(categoryOfCall("Bash", "rg gamma")).toBe("search");
    expect(categoryOfCall("Bash", "npm test")).toBe("run");
    expect(categoryOfCall("mcp__weather__get_weather", "Paris")).toBe("call:weather");
  });
});

describe("target comparison", () => {
  test("wrapping whitespace, a header still being typed, and `…` cuts", () => {
    expect(targetsCompatible("echo a  b", "echo a b")).toBe(true);
    expect(targetsCompatible("echo hel", "echo hello")).toBe(true);
    expect(targetsCompatible("deeply/nested/directory/structure/fo…/file-name.txt", "deeply/nested/directory/structure/for/x/file-name.txt")).toBe(true);
    expect(targetsCompatible("a.txt", "b.txt")).toBe(false);
    expect(ellipsisMatch("echo 'long …", "echo 'long command'")).toBe(true);
    expect(ellipsisMatch("abc…xyz", "abc123xy")).toBe(false);
  });
});
