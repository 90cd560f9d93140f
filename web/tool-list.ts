// <tool-list>: the tool calls, newest at the bottom, with a filter by tool; a call that is picked asks to be shown in the terminal.
import { html, LitElement, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import type { ToolStatus } from "../parsers/protocol";
import { filterCalls, formatDuration, type ToolCall, toolsPresent } from "./tool-calls";
import { toolIcon } from "./tool-icons";
import { shortTarget, toolLabel } from "./tool-kinds";

/** How close to the bottom (in CSS pixels) still counts as "at the bottom": new calls keep it scrolled there. */
const STICK_PX = 24;
/** `data-tool` of the chip that shows every call. */
const ALL = "all";

const STATUS_TEXT: Record<ToolStatus, string> = {
  running: "running",
  "awaiting-permission": "waiting for permission",
  done: "done",
  error: "error",
  denied: "denied",
  interrupted: "interrupted",
};

/**
 * Events:
 * - `tool-reveal` (detail: the call): the user picked a call (click or Enter) to see it in the terminal
 */
export class ToolList extends LitElement {
  static override properties = {
    calls: { attribute: false },
    filter: { state: true },
  };

  declare calls: readonly ToolCall[];
  /** The tool whose calls are shown, or null for all. */
  declare filter: string | null;

  /** Whether the list follows new calls: true until the user scrolls up, and again once back at the bottom. */
  #stick = true;

  constructor() {
    super();
    this.calls = [];
    this.filter = null;
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): unknown {
    const tools = toolsPresent(this.calls);
    // A filter for a tool no longer listed (a fresh snapshot) shows everything again.
    const filter = this.filter !== null && tools.includes(this.filter) ? this.filter : null;
    const shown = filterCalls(this.calls, filter);
    return html`
      <div class="tool-filters" role="toolbar" aria-label="Show calls of one tool">
        ${this.#chip(ALL, "All", this.calls.length, filter === null)}
        ${tools.map((tool) =>
          this.#chip(tool, toolLabel(tool), this.calls.filter((call) => call.tool === tool).length, filter === tool),
        )}
      </div>
      <ol class="tool-list" data-testid="tool-list" aria-label="Tool calls, oldest first" @scroll=${this.#scrolled}>
        ${repeat(shown, (call) => call.id, (call) => this.#row(call))}
      </ol>
    `;
  }

  protected override updated(): void {
    if (!this.#stick) return;
    const list = this.#list();
    if (list) list.scrollTop = list.scrollHeight;
  }

  #chip(tool: string, label: string, count: number, pressed: boolean): unknown {
    return html`<button
      type="button"
      class="chip"
      data-testid="tool-filter"
      data-tool=${tool}
      aria-pressed=${pressed ? "true" : "false"}
      @click=${() => this.#choose(tool === ALL ? null : tool)}
    >
      ${label} <span class="chip-count">${count}</span>
    </button>`;
  }

  #row(call: ToolCall): unknown {
    const label = toolLabel(call.tool);
    return html`<li class="tool-call" data-testid="tool-call" data-tool=${call.tool} data-status=${call.status} data-id=${call.id}>
      <button
        type="button"
        class="tool-call-button"
        aria-label=${`${label} ${call.target}, ${STATUS_TEXT[call.status]}. Show in the terminal`}
        @click=${() => this.#reveal(call)}
      >
        <span class="tool-call-head">
          ${toolIcon(call.tool)}
          <span class="tool-name" title=${call.tool}>${label}</span>
          <span class="tool-meta">
            ${call.durationMs !== undefined
              ? html`<span class="tool-duration" data-testid="tool-duration">${formatDuration(call.durationMs)}</span>`
              : nothing}
            ${this.#status(call.status)}
          </span>
        </span>
        ${call.target
          ? html`<span class="tool-target" title=${call.target}>${shortTarget(call.tool, call.target)}</span>`
          : nothing}
        ${call.summary ? html`<span class="tool-summary" title=${call.summary}>${call.summary}</span>` : nothing}
      </button>
    </li>`;
  }

  #status(status: ToolStatus): unknown {
    const text = STATUS_TEXT[status];
    switch (status) {
      case "running":
        return html`<span class="tool-status" data-status=${status} title=${text}><span class="spinner" aria-hidden="true"></span></span>`;
      case "done":
        return html`<span class="tool-status" data-status=${status} title=${text} aria-hidden="true">✓</span>`;
      case "error":
        return html`<span class="tool-status" data-status=${status} title=${text} aria-hidden="true">✗</span>`;
      case "interrupted":
        return html`<span class="tool-status" data-status=${status} title=${text} aria-hidden="true">⊘</span>`;
      case "denied":
      case "awaiting-permission":
        return html`<span class="tool-status text" data-status=${status} aria-hidden="true">${text}</span>`;
      default:
        status satisfies never;
        return nothing;
    }
  }

  #choose(tool: string | null): void {
    this.filter = tool;
    this.#stick = true;
  }

  #reveal(call: ToolCall): void {
    this.dispatchEvent(new CustomEvent("tool-reveal", { detail: call, bubbles: true, composed: true }));
  }

  #scrolled = (): void => {
    const list = this.#list();
    if (list) this.#stick = list.scrollHeight - list.scrollTop - list.clientHeight <= STICK_PX;
  };

  #list(): HTMLElement | null {
    return this.querySelector(".tool-list");
  }
}

customElements.define("tool-list", ToolList);

declare global {
  interface HTMLElementTagNameMap {
    "tool-list": ToolList;
  }
  interface HTMLElementEventMap {
    "tool-reveal": CustomEvent<ToolCall>;
  }
}
