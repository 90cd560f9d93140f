// <side-panel>: the tool-call pane beside the terminal: Claude's state, its permission question, and the tool calls it makes.
import { html, LitElement, nothing } from "lit";
import type { StateEvent } from "../parsers/protocol";
import { claudeStateBadge } from "./claude-state";
import "./permission-prompt";
import type { AnswerMode } from "./permission-prompt";
import type { ToolCall } from "./tool-calls";
import "./tool-list";

export class SidePanel extends LitElement {
  static override properties = {
    calls: { attribute: false },
    claudeState: { attribute: false },
    showState: { attribute: false },
    answerMode: { attribute: false },
  };

  /** The tool calls, oldest first. */
  declare calls: readonly ToolCall[];
  /** What Claude is doing; null before the room said. */
  declare claudeState: StateEvent | null;
  /** Whether to show Claude's state (a session running something else never leaves "starting"). */
  declare showState: boolean;
  /** How a permission menu's options are offered to this client. */
  declare answerMode: AnswerMode;

  constructor() {
    super();
    this.calls = [];
    this.claudeState = null;
    this.showState = true;
    this.answerMode = "text";
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): unknown {
    const state = this.claudeState;
    return html`
      <section class="panel-section tool-section" aria-labelledby="tool-calls-heading" data-testid="tool-panel">
        <div class="panel-heading-row">
          <h2 id="tool-calls-heading" class="panel-heading">Tool calls</h2>
          ${state && this.showState ? claudeStateBadge(state.state) : nothing}
        </div>
        ${this.#renderPermission()}
        ${this.calls.length === 0
          ? html`<p class="empty-state" data-testid="tool-panel-empty">
              No tool calls yet. Commands, file reads and edits appear here as Claude works.
            </p>`
          : html`<tool-list .calls=${this.calls}></tool-list>`}
      </section>
    `;
  }

  #renderPermission(): unknown {
    const state = this.claudeState;
    if (state?.state !== "awaiting-permission" || !state.options?.length) return nothing;
    const waiting = [...this.calls].reverse().find((call) => call.status === "awaiting-permission") ?? null;
    return html`<permission-prompt .options=${state.options} .call=${waiting} .mode=${this.answerMode}></permission-prompt>`;
  }
}

customElements.define("side-panel", SidePanel);

declare global {
  interface HTMLElementTagNameMap {
    "side-panel": SidePanel;
  }
}
