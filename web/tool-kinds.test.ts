import { describe, expect, it } from "vitest";
import { shortTarget, toolFamily, toolLabel } from "./tool-kinds";

describe("toolFamily", () => {
  it("groups tools by what they touch", () => {
    expect(["Bash", "Read", "Write", "Edit", "Grep", "Glob", "WebFetch", "WebSearch", "Agent", "TodoWrite"].map(toolFamily)).toEqual([
      "terminal",
      "file",
      "file",
      "file",
      "search",
      "search",
      "web",
      "web",
      "agent",
      "todo",
    ]);
    expect(toolFamily("mcp__weather__get_weather")).toBe("mcp");
    expect(toolFamily("Skill")).toBe("other");
  });
});

describe("toolLabel", () => {
  it("shows MCP tools as server · tool", () => {
    expect(toolLabel("mcp__weather__get_weather")).toBe("weather · get_weather");
    expect(toolLabel("mcp__a__b__c")).toBe("a · b__c");
    expect(toolLabel("mcp__weather")).toBe("weather");
    expect(toolLabel("Bash")).toBe("Bash");
  });
});

describe("shortTarget", () => {
  it("keeps the end of a long path and leaves everything else alone", () => {
    expect(shortTarget("Write", "/tmp/nightona-browser-x/sandboxes/abc/workspace/hello.txt")).toBe("…/workspace/hello.txt");
    expect(shortTarget("Write", "src/app.ts")).toBe("src/app.ts");
    const command = "cat /tmp/nightona-browser-x/sandboxes/abc/workspace/hello.txt";
    expect(shortTarget("Bash", command)).toBe(command);
  });
});
