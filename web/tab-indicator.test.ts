import { describe, expect, it } from "vitest";
import { tabFavicon, type TabInputs, tabState, tabTitle } from "./tab-indicator";

const claude: TabInputs = { program: "Claude", sessionId: "0123456789abcdef0123", connection: "open", phase: "running", claude: "idle" };
const shell: TabInputs = { ...claude, program: "bash", claude: "starting" };

describe("tabState", () => {
  it("follows Claude's state", () => {
    expect(tabState({ ...claude, claude: "idle" })).toBe("idle");
    expect(tabState({ ...claude, claude: "busy" })).toBe("busy");
    expect(tabState({ ...claude, claude: "awaiting-permission" })).toBe("attention");
    expect(tabState({ ...claude, claude: "starting" })).toBe("starting");
    expect(tabState({ ...claude, claude: null })).toBe("starting");
  });

  it("says a plain shell is running, unless the parser did read a state from it", () => {
    expect(tabState(shell)).toBe("running");
    expect(tabState({ ...shell, claude: "busy" })).toBe("busy");
  });

  it("puts a broken connection, a failed start and an exit before Claude's last state", () => {
    expect(tabState({ ...claude, connection: "closed-fatal", claude: "busy" })).toBe("problem");
    expect(tabState({ ...claude, phase: "error" })).toBe("problem");
    expect(tabState({ ...claude, phase: "exited", claude: "busy" })).toBe("exited");
    expect(tabState({ ...claude, phase: "provisioning", claude: null })).toBe("starting");
    expect(tabState({ ...claude, phase: "asleep", claude: "idle" })).toBe("idle");
    expect(tabState({ ...shell, phase: "asleep" })).toBe("running");
  });
});

describe("tabTitle", () => {
  it("leads with the state's words", () => {
    expect(tabTitle({ ...claude, claude: "awaiting-permission" })).toBe("⚠ Needs permission · Claude · 01234567 · Nightona");
    expect(tabTitle({ ...claude, claude: "busy" })).toBe("Working · Claude · 01234567 · Nightona");
    expect(tabTitle({ ...claude, claude: "idle" })).toBe("Idle · Claude · 01234567 · Nightona");
  });

  it("names only program and session while a shell runs", () => {
    expect(tabTitle(shell)).toBe("bash · 01234567 · Nightona");
  });
});

describe("tabFavicon", () => {
  it("draws a dot of the state's colour, and none while starting", () => {
    const svg = (state: Parameters<typeof tabFavicon>[0]): string => decodeURIComponent(tabFavicon(state).split(",")[1]!);
    expect(svg("attention")).toContain("<circle");
    expect(svg("attention")).toContain("#ffc777");
    expect(svg("idle")).toContain("#c3e88d");
    expect(svg("busy")).toContain("#82aaff");
    expect(svg("starting")).not.toContain("<circle");
    expect(new Set(["attention", "busy", "idle", "problem"].map((state) => tabFavicon(state as never))).size).toBe(4);
  });
});
