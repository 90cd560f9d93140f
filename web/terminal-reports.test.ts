import { describe, expect, it } from "vitest";
import { isTerminalReport } from "./terminal-reports";

describe("isTerminalReport", () => {
  it.each([
    ["DA1", "\x1b[?1;2c"],
    ["DA2", "\x1b[>0;276;0c"],
    ["cursor position", "\x1b[24;80R"],
    ["device status", "\x1b[0n"],
    ["DECRQM", "\x1b[?2026;2$y"],
    ["kitty keyboard flags", "\x1b[?0u"],
    ["XTVERSION", "\x1bP>|xterm.js(6.0.0)\x1b\\"],
    ["OSC colour", "\x1b]11;rgb:1111/1313/1c1c\x1b\\"],
    ["two replies at once", "\x1b[?1;2c\x1b[24;80R"],
  ])("recognizes %s", (_name, data) => {
    expect(isTerminalReport(data)).toBe(true);
  });

  it.each([
    ["a letter", "a"],
    ["Enter", "\r"],
    ["Esc", "\x1b"],
    ["Ctrl-C", "\x03"],
    ["an arrow key", "\x1b[A"],
    ["an application-mode arrow", "\x1bOA"],
    ["Delete", "\x1b[3~"],
    ["a bracketed paste", "\x1b[200~text\x1b[201~"],
    ["focus in", "\x1b[I"],
    ["text after a reply", "\x1b[?1;2cls"],
  ])("lets %s through", (_name, data) => {
    expect(isTerminalReport(data)).toBe(false);
  });
});
