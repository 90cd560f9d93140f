// <side-panel>: the column beside the terminal: the tool calls Claude makes, and a preview of the app on port 3000.
import { html, LitElement } from "lit";

export class SidePanel extends LitElement {
  override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): unknown {
    return html`
      <section class="panel-section" aria-labelledby="tool-calls-heading" data-testid="tool-panel">
        <h2 id="tool-calls-heading" class="panel-heading">Tool calls</h2>
        <p class="empty-state" data-testid="tool-panel-empty">
          No tool calls yet. Commands, file reads and edits appear here as Claude works.
        </p>
      </section>
      <section class="panel-section preview-section" aria-labelledby="preview-heading" data-testid="preview-panel">
        <h2 id="preview-heading" class="panel-heading">Preview</h2>
        <div class="preview-placeholder">
          <p class="empty-state">The app on port 3000 shows here once its dev server is running.</p>
        </div>
      </section>
    `;
  }
}

customElements.define("side-panel", SidePanel);

declare global {
  interface HTMLElementTagNameMap {
    "side-panel": SidePanel;
  }
}
