// One small inline SVG per tool family, drawn with the current text colour.
import { svg, type SVGTemplateResult } from "lit";
import { type ToolFamily, toolFamily } from "./tool-kinds";

/** 16×16 line drawings; `fill="none"` and `stroke="currentColor"` come from the wrapping <svg>. */
const PATHS: Record<ToolFamily, SVGTemplateResult> = {
  terminal: svg`<rect x="1.5" y="2.5" width="13" height="11" rx="1.5" /><path d="M4.5 6l2 2-2 2M8.5 10.5h3" />`,
  file: svg`<path d="M4 1.5h5l3.5 3.5v9.5h-8.5z" /><path d="M9 1.5V5h3.5" />`,
  search: svg`<circle cx="7" cy="7" r="4.5" /><path d="M10.3 10.3l4.2 4.2" />`,
  web: svg`<circle cx="8" cy="8" r="6.5" /><path d="M1.5 8h13M8 1.5c1.9 1.9 2.8 4 2.8 6.5S9.9 12.6 8 14.5C6.1 12.6 5.2 10.5 5.2 8S6.1 3.4 8 1.5z" />`,
  agent: svg`<rect x="2.5" y="5" width="11" height="8.5" rx="2" /><path d="M8 5V3" /><circle cx="8" cy="2.2" r="0.8" /><circle cx="6" cy="9" r="0.6" /><circle cx="10" cy="9" r="0.6" /><path d="M6.3 11.3h3.4" />`,
  todo: svg`<path d="M1.8 4l1.4 1.4L5.6 3M1.8 10.5l1.4 1.4 2.4-2.4M8 4.3h6.5M8 10.8h6.5" />`,
  mcp: svg`<path d="M5.5 1.5v3M10.5 1.5v3M3.5 4.5h9v2.5a4.5 4.5 0 0 1-9 0zM8 11.5v3" />`,
  other: svg`<circle cx="8" cy="8" r="2.3" /><path d="M8 1.5v2.2M8 12.3v2.2M1.5 8h2.2M12.3 8h2.2M3.4 3.4l1.5 1.5M11.1 11.1l1.5 1.5M3.4 12.6l1.5-1.5M11.1 4.9l1.5-1.5" />`,
};

/** The icon for a tool, decorative (the name is always shown next to it). */
export function toolIcon(tool: string): SVGTemplateResult {
  const family = toolFamily(tool);
  return svg`<svg class="tool-icon" data-family=${family} viewBox="0 0 16 16" width="16" height="16" fill="none"
    stroke="currentColor" stroke-width="1.3" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${PATHS[family]}</svg>`;
}
