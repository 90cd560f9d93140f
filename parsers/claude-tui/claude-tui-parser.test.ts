// Tests the parser end to end on synthetic Claude Code output: events and offsets, any chunking, states, repaints, scheduling.
import { describe, expect, test } from "vitest";
import { ClaudeTuiParser } from "./claude-tui-parser";
import type { ParserEvent } from "./events";
import { bytes, COLORS, fg, header, inputBox, prose, result, rows, up } from "./test-support";

const COLS = 60;
const BANNER = rows(" ▐▛███▛█   Claude Code v2.1.332", "▝▜██████▀  Opus 5.5 · API Usage Billing", " ▝▝   ▝▝   /tmp/ws", "");
const IDLE = rows(...inputBox(COLS));
const BUSY = rows(...inputBox(COLS, "  ⏸ manual mode on · esc to interrupt"));

/** Redraws the live region from row 5 down, as a frame does. */
const LIVE = "\x1b[5;1H\x1b[J";

/** A short session: banner, idle box, then a Bash call drawn running, then done, then idle; each frame parks the cursor. */
function session(): string[] {
  return [
    `${BANNER}\r\n${IDLE}${up(3)}`,
    `${LIVE}${prose("Listing files.")}\r\n\r\n${header("Bash", "ls -la")}\r\n${result("Running…")}\r\n\r\n${BUSY}${up(6)}`,
    `${LIVE}${prose("Listing files.")}\r\n\r\n${header("Bash", "ls -la", "green")}\r\n${result("a.txt")}\r\n\r\n${IDLE}${up(3)}`,
  ];
}

function parse(frames: string[], chunk = Number.MAX_SAFE_INTEGER): { events: ParserEvent[]; parser: ClaudeTuiParser } {
  const parser = new ClaudeTuiParser({ cols: COLS, rows: 20 });
  const events: ParserEvent[] = [];
  parser.onEvent((event) => events.push(event));
  const data = bytes(frames.join(""));
  for (let at = 0; at < data.length; at += chunk) parser.write(data.subarray(at, at + chunk), at);
  parser.flush();
  return { events, parser };
}

describe("ClaudeTuiParser", () => {
  test("emits a call as it appears and as it finishes, with the offsets of those frames", () => {
    const frames = session();
    const { events, parser } = parse(frames);
    const tools = events.filter((event) => event.type === "tool");
    const secondEnd = bytes(frames.slice(0, 2).join("")).length;
    const thirdEnd = bytes(frames.join("")).length;
    expect(tools).toEqual([
      { type: "tool", id: "t1", tool: "Bash", target: "ls -la", status: "running", start: secondEnd },
      { type: "tool", id: "t1", tool: "Bash", target: "ls -la", status: "done", summary: "a.txt", start: secondEnd, end: thirdEnd },
    ]);
    expect(parser.tools()).toEqual([{ id: "t1", tool: "Bash", target: "ls -la", status: "done", summary: "a.txt", start: secondEnd, end: thirdEnd }]);
    expect(events.filter((event) => event.type === "state").map((event) => event.type === "state" && event.state)).toEqual(["idle", "busy", "idle"]);
  });

  test("any chunking gives the same events, down to single bytes", () => {
    const whole = parse(session()).events;
    for (const chunk of [1, 2, 3, 7, 64]) expect(parse(session(), chunk).events).toEqual(whole);
  });

  test("a permission menu: the call waits, the state lists the options, a No makes it denied", () => {
    const menu = rows(fg(COLORS.rule, "─".repeat(COLS)), " Bash command", "", " Do you want to proceed?", " ❯ 1. Yes", "   2. No", "", " Esc to cancel · Tab to amend");
    const { events, parser } = parse([
      `${BANNER}\r\n${IDLE}${up(3)}`,
      `${LIVE}${header("Bash", "rm -f x")}\r\n${result("Waiting…")}\r\n\r\n${menu}${up(9)}`,
      `${LIVE}${header("Bash", "rm -f x", "red")}\r\n${result("Interrupted · What should Claude do instead?")}\r\n\r\n${IDLE}${up(3)}`,
    ]);
    expect(events).toContainEqual({ type: "state", state: "awaiting-permission", options: [{ label: "Yes", keys: "1" }, { label: "No", keys: "2" }, { label: "Cancel (Esc)", keys: "\x1b" }] });
    expect(events.filter((e) => e.type === "tool").map((e) => e.type === "tool" && e.status)).toEqual(["awaiting-permission", "denied"]);
    expect(parser.state()).toEqual({ type: "state", state: "idle" });
  });

  test("a full repaint that draws the transcript again after a resize adds no calls", () => {
    const parser = new ClaudeTuiParser({ cols: COLS, rows: 20 });
    const first = session();
    parser.write(bytes(first.join("")));
    parser.resize(80, 20);
    parser.write(bytes(`\x1b[2J\x1b[3J\x1b[H${BANNER}\r\n${header("Bash", "ls -la", "green")}\r\n${result("a.txt")}\r\n\r\n${IDLE}${up(3)}`));
    parser.flush();
    expect(parser.tools()).toHaveLength(1);
  });

  test("plain shell output shows no calls, even with Claude-like lines, until Claude Code is on screen", () => {
    const { events } = parse([rows("$ ls", "a.txt", `${header("Bash", "ls", "green")}`, result("a.txt"), "$ ")]);
    expect(events).toEqual([]);
  });

  test("the window title alone is enough to know Claude Code runs", () => {
    const { parser } = parse([`\x1b]0;✳ Claude Code\x07${header("Bash", "pwd", "green")}\r\n${result("/tmp")}\r\n${up(2)}`]);
    expect(parser.tools()).toEqual([expect.objectContaining({ tool: "Bash", target: "pwd", status: "done" })]);
  });

  test("with a scheduler, it reads the screen once output pauses", () => {
    const pending: (() => void)[] = [];
    const parser = new ClaudeTuiParser({ cols: COLS, rows: 20, schedule: (callback) => (pending.push(callback), () => pending.splice(pending.indexOf(callback), 1)) });
    const events: ParserEvent[] = [];
    parser.onEvent((event) => events.push(event));
    // No cursor move at the end: only the idle flush reads this frame.
    parser.write(bytes(`${BANNER}\r\n${IDLE}`));
    expect(events).toEqual([]);
    expect(pending).toHaveLength(1);
    pending[0]?.();
    expect(events).toEqual([{ type: "state", state: "idle" }]);
  });

  test("a throwing listener does not stop the others; dispose stops everything", () => {
    const parser = new ClaudeTuiParser({ cols: COLS, rows: 20 });
    const seen: string[] = [];
    parser.onEvent(() => {
      throw new Error("listener bug");
    });
    const subscription = parser.onEvent((event) => seen.push(event.type));
    parser.write(bytes(`${BANNER}\r\n${IDLE}${up(3)}`));
    expect(seen).toEqual(["state"]);
    subscription.dispose();
    parser.write(bytes(session()[1] ?? ""));
    expect(seen).toEqual(["state"]);
    parser.dispose();
    expect(() => parser.write(bytes("more"))).not.toThrow();
  });
});

describe("after claude exits", () => {
  test("shell output that looks like a call is not one, until Claude Code starts again", () => {
    const parser = new ClaudeTuiParser({ cols: COLS, rows: 20 });
    parser.write(bytes(`\x1b]0;✳ Claude Code\x07${BANNER}\r\n${IDLE}\r\n\r\nResume this session with:\r\nclaude --resume 5c4f0015-cd20-472f-8016-f70a2c4c72c8\r\n$ ${up(1)}`));
    parser.flush();
    expect(parser.state().state).toBe("exited");
    parser.write(bytes(`\r\n${header("Bash", "fake", "green")}\r\n${result("x")}\r\n${up(2)}`));
    parser.flush();
    expect(parser.tools()).toEqual([]);
    parser.write(bytes(`\r\n${BANNER}\r\n${header("Bash", "real", "green")}\r\n${result("x")}\r\n\r\n${IDLE}${up(3)}`));
    parser.flush();
    expect(parser.tools().map((record) => record.target)).toEqual(["real"]);
  });
});
