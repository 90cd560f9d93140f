// Sizes of the session page's side panes (tool panel, preview) and whether each is collapsed, remembered per browser.
import { type KeyValueStorage, readStoredObject, writeStoredObject } from "./stored-json";

/** The panes beside the terminal; the terminal itself takes whatever width is left. */
export type SidePane = "tools" | "preview";
export const SIDE_PANES: readonly SidePane[] = ["tools", "preview"];

export interface PaneState {
  /** Width in CSS pixels when shown. */
  width: number;
  collapsed: boolean;
}

export type PaneLayout = Record<SidePane, PaneState>;

/** Limits in CSS pixels. */
export const PaneLimits = {
  /** Narrowest a side pane may be dragged. */
  minWidth: 200,
  /** Widest a side pane may be dragged. */
  maxWidth: 1200,
  /** The terminal keeps at least this much (about 75 columns); side panes give way to it on small windows. */
  minTerminalWidth: 600,
  /** One keyboard step of a divider (arrow key); Shift takes ten. */
  keyStep: 16,
} as const;

export const DEFAULT_PANE_LAYOUT: PaneLayout = {
  tools: { width: 340, collapsed: false },
  preview: { width: 380, collapsed: false },
};

const STORAGE_KEY = "nightona.panes.v1";

/** The stored layout; missing or malformed parts fall back to the defaults. */
export function loadPaneLayout(storage: KeyValueStorage | null): PaneLayout {
  const stored = readStoredObject(storage, STORAGE_KEY);
  return {
    tools: readPane(stored.tools, DEFAULT_PANE_LAYOUT.tools),
    preview: readPane(stored.preview, DEFAULT_PANE_LAYOUT.preview),
  };
}

export function savePaneLayout(storage: KeyValueStorage | null, layout: PaneLayout): void {
  writeStoredObject(storage, STORAGE_KEY, layout);
}

/** The layout with one pane set to `width` (clamped to the limits); a resized pane is shown. */
export function resizePane(layout: PaneLayout, pane: SidePane, width: number): PaneLayout {
  return { ...layout, [pane]: { width: clampWidth(width), collapsed: false } };
}

/** The layout with one pane collapsed or shown again (at its remembered width). */
export function togglePane(layout: PaneLayout, pane: SidePane, collapsed = !layout[pane].collapsed): PaneLayout {
  return { ...layout, [pane]: { ...layout[pane], collapsed } };
}

/**
 * The widths to draw in a window `available` pixels wide (dividers excluded): collapsed panes take 0, and shown
 * panes shrink (the one on the outside first) so the terminal keeps its minimum. Stored widths stay as they are.
 */
export function effectiveWidths(layout: PaneLayout, available: number): Record<SidePane, number> {
  const widths = {
    tools: layout.tools.collapsed ? 0 : layout.tools.width,
    preview: layout.preview.collapsed ? 0 : layout.preview.width,
  };
  let excess = widths.tools + widths.preview + PaneLimits.minTerminalWidth - available;
  for (const pane of ["preview", "tools"] as const) {
    if (excess <= 0 || widths[pane] === 0) continue;
    const give = Math.min(excess, widths[pane] - PaneLimits.minWidth);
    if (give > 0) {
      widths[pane] -= give;
      excess -= give;
    }
  }
  return widths;
}

function readPane(value: unknown, fallback: PaneState): PaneState {
  if (typeof value !== "object" || value === null) return { ...fallback };
  const entry = value as Record<string, unknown>;
  const width = typeof entry.width === "number" && Number.isFinite(entry.width) ? clampWidth(entry.width) : fallback.width;
  const collapsed = typeof entry.collapsed === "boolean" ? entry.collapsed : fallback.collapsed;
  return { width, collapsed };
}

function clampWidth(width: number): number {
  return Math.round(Math.min(PaneLimits.maxWidth, Math.max(PaneLimits.minWidth, width)));
}
