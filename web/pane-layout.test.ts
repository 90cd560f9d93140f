import { describe, expect, it } from "vitest";
import {
  DEFAULT_PANE_LAYOUT,
  effectiveWidths,
  loadPaneLayout,
  PaneLimits,
  resizePane,
  savePaneLayout,
  togglePane,
} from "./pane-layout";
import type { KeyValueStorage } from "./stored-json";

/** A Web Storage stand-in: a plain map of strings, as localStorage keeps them. */
function memoryStorage(): KeyValueStorage & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => void entries.set(key, String(value)),
  };
}

describe("pane layout persistence", () => {
  it("starts from the defaults when nothing is stored", () => {
    expect(loadPaneLayout(memoryStorage())).toEqual(DEFAULT_PANE_LAYOUT);
    expect(loadPaneLayout(null)).toEqual(DEFAULT_PANE_LAYOUT);
  });

  it("gives back what was saved: widths and collapsed panes", () => {
    const storage = memoryStorage();
    const layout = togglePane(resizePane(DEFAULT_PANE_LAYOUT, "tools", 512), "preview");
    savePaneLayout(storage, layout);
    expect(loadPaneLayout(storage)).toEqual({
      tools: { width: 512, collapsed: false },
      preview: { width: DEFAULT_PANE_LAYOUT.preview.width, collapsed: true },
    });
  });

  it("ignores stored values that do not parse or are out of range", () => {
    const storage = memoryStorage();
    storage.setItem("nightona.panes.v1", "{not json");
    expect(loadPaneLayout(storage)).toEqual(DEFAULT_PANE_LAYOUT);
    storage.setItem("nightona.panes.v1", JSON.stringify({ tools: { width: 5, collapsed: "yes" }, preview: 3 }));
    expect(loadPaneLayout(storage)).toEqual({
      tools: { width: PaneLimits.minWidth, collapsed: false },
      preview: DEFAULT_PANE_LAYOUT.preview,
    });
  });

  it("keeps working when storage refuses writes", () => {
    const refusing: KeyValueStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    expect(() => savePaneLayout(refusing, DEFAULT_PANE_LAYOUT)).not.toThrow();
  });
});

describe("resizing and collapsing", () => {
  it("clamps a dragged width to the limits and shows the pane", () => {
    const collapsed = togglePane(DEFAULT_PANE_LAYOUT, "tools", true);
    expect(resizePane(collapsed, "tools", 50).tools).toEqual({ width: PaneLimits.minWidth, collapsed: false });
    expect(resizePane(collapsed, "tools", 99_999).tools.width).toBe(PaneLimits.maxWidth);
  });

  it("remembers the width of a collapsed pane for when it comes back", () => {
    const wide = resizePane(DEFAULT_PANE_LAYOUT, "preview", 600);
    expect(togglePane(togglePane(wide, "preview"), "preview").preview).toEqual({ width: 600, collapsed: false });
  });
});

describe("effectiveWidths", () => {
  it("draws stored widths when the window has room", () => {
    expect(effectiveWidths(DEFAULT_PANE_LAYOUT, 1440)).toEqual({ tools: 340, preview: 380 });
  });

  it("gives collapsed panes no width", () => {
    expect(effectiveWidths(togglePane(DEFAULT_PANE_LAYOUT, "tools"), 1440)).toEqual({ tools: 0, preview: 380 });
  });

  it("shrinks the preview first, then the tool panel, so the terminal keeps its minimum", () => {
    const widths = effectiveWidths(DEFAULT_PANE_LAYOUT, 1266);
    expect(widths.tools + widths.preview + PaneLimits.minTerminalWidth).toBe(1266);
    expect(widths.tools).toBe(340);
    const tight = effectiveWidths(DEFAULT_PANE_LAYOUT, 1000);
    expect(tight).toEqual({ tools: 200, preview: PaneLimits.minWidth });
    // Narrower still, the panes stop at their minimum: the terminal gets what is left.
    expect(effectiveWidths(DEFAULT_PANE_LAYOUT, 800)).toEqual({ tools: PaneLimits.minWidth, preview: PaneLimits.minWidth });
  });
});
