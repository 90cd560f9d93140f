// <provisioning-progress>: the steps a new session goes through (sandbox, terminal, Claude), ticked off as the room reports them.
import { html, LitElement } from "lit";
import type { ProvisioningStep } from "./provisioning-steps";

const MARKS: Record<ProvisioningStep["state"], string> = { done: "✓", active: "", pending: "", failed: "✕" };
const STATE_WORDS: Record<ProvisioningStep["state"], string> = {
  done: "done",
  active: "in progress",
  pending: "waiting",
  failed: "failed",
};

export class ProvisioningProgress extends LitElement {
  static override properties = { steps: { attribute: false } };

  declare steps: readonly ProvisioningStep[];

  constructor() {
    super();
    this.steps = [];
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): unknown {
    return html`<div class="provisioning" role="status" aria-live="polite" data-testid="provisioning">
      <h2 class="provisioning-title">Starting your session</h2>
      <ol class="provisioning-steps">
        ${this.steps.map(
          (step) => html`<li class="provisioning-step" data-step=${step.id} data-state=${step.state}>
            <span class="step-mark" aria-hidden="true">${step.state === "active" ? html`<span class="spinner"></span>` : MARKS[step.state]}</span>
            <span class="step-label">${step.label}</span>
            <span class="visually-hidden">${STATE_WORDS[step.state]}</span>
            ${step.detail ? html`<span class="step-detail">${step.detail}</span>` : ""}
          </li>`,
        )}
      </ol>
    </div>`;
  }
}

customElements.define("provisioning-progress", ProvisioningProgress);

declare global {
  interface HTMLElementTagNameMap {
    "provisioning-progress": ProvisioningProgress;
  }
}
