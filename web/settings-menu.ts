// <settings-menu>: the header's settings popover: theme, notifications and their sound, copy on select, screen reader mode, shortcuts.
import { html, LitElement, nothing } from "lit";
import { PopoverDismissal } from "./popover-dismissal";
import { preferences, type Preferences, type ThemeChoice } from "./preferences";
import { SHORTCUT_HELP } from "./shortcuts";

const THEME_WORDS: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };

export class SettingsMenu extends LitElement {
  static override properties = {
    open: { type: Boolean, reflect: true },
    prefs: { state: true },
    note: { state: true },
  };

  declare open: boolean;
  declare prefs: Preferences;
  /** Why notifications stay off (the browser refused or lacks them). */
  declare note: string | null;

  #unsubscribe: (() => void) | null = null;
  readonly #dismissal = new PopoverDismissal(this, { keepOpenWhilePageUnfocused: true });

  constructor() {
    super();
    this.open = false;
    this.prefs = preferences.current;
    this.note = null;
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#unsubscribe = preferences.subscribe((prefs) => (this.prefs = prefs));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
  }

  /** Opens the menu and moves the focus into it; `section` scrolls to the shortcuts list. */
  show(section?: "shortcuts"): void {
    this.open = true;
    // Fixed under the button, so it stays on screen wherever the header wrapped the button to.
    const button = this.querySelector<HTMLElement>("[data-testid=settings-button]");
    if (button) this.style.setProperty("--popover-top", `${Math.round(button.getBoundingClientRect().bottom + 6)}px`);
    void this.updateComplete.then(() => {
      const target = section ? this.querySelector<HTMLElement>(`#settings-${section}`) : null;
      (target ?? this.querySelector<HTMLElement>(".settings-popover input"))?.focus();
    });
  }

  hide(refocus = false): void {
    if (!this.open) return;
    this.open = false;
    if (refocus) this.querySelector<HTMLElement>("[data-testid=settings-button]")?.focus();
  }

  override render(): unknown {
    const prefs = this.prefs;
    return html`
      <button
        type="button"
        class="button small settings-button"
        data-testid="settings-button"
        aria-haspopup="dialog"
        aria-expanded=${this.open ? "true" : "false"}
        aria-controls="settings-popover"
        aria-label="Settings"
        title="Theme, notifications, accessibility, shortcuts"
        @click=${() => (this.open ? this.hide() : this.show())}
        @keydown=${this.#dismissal.onKeydown}
      >
        <span aria-hidden="true">⚙</span>
      </button>
      ${this.open
        ? html`<div
            id="settings-popover"
            class="settings-popover"
            role="dialog"
            aria-label="Settings"
            data-testid="settings-popover"
            tabindex="-1"
            @keydown=${this.#dismissal.onKeydown}
            @focusout=${this.#dismissal.onFocusOut}
          >
            <fieldset class="settings-group">
              <legend>Theme</legend>
              ${(["system", "light", "dark"] as const).map(
                (choice) => html`<label class="settings-choice">
                  <input
                    type="radio"
                    name="theme"
                    value=${choice}
                    data-testid=${`theme-${choice}`}
                    .checked=${prefs.theme === choice}
                    @change=${() => preferences.update({ theme: choice })}
                  />
                  ${THEME_WORDS[choice]}
                </label>`,
              )}
            </fieldset>
            <fieldset class="settings-group">
              <legend>When this tab is in the background</legend>
              <label class="settings-choice">
                <input type="checkbox" data-testid="notify-toggle" .checked=${prefs.notify} @change=${this.#toggleNotify} />
                Notify me when Claude finishes or asks for permission
              </label>
              <label class="settings-choice">
                <input
                  type="checkbox"
                  data-testid="sound-toggle"
                  .checked=${prefs.sound}
                  @change=${(event: Event) => preferences.update({ sound: (event.target as HTMLInputElement).checked })}
                />
                Play a sound
              </label>
              ${this.note ? html`<p class="settings-note" role="status" data-testid="notify-note">${this.note}</p>` : nothing}
            </fieldset>
            <fieldset class="settings-group">
              <legend>Terminal</legend>
              <label class="settings-choice">
                <input
                  type="checkbox"
                  data-testid="copy-on-select-toggle"
                  .checked=${prefs.copyOnSelect}
                  @change=${(event: Event) => preferences.update({ copyOnSelect: (event.target as HTMLInputElement).checked })}
                />
                Copy text when selected
              </label>
              <label class="settings-choice">
                <input
                  type="checkbox"
                  data-testid="screen-reader-toggle"
                  .checked=${prefs.screenReader}
                  @change=${(event: Event) => preferences.update({ screenReader: (event.target as HTMLInputElement).checked })}
                />
                Screen reader mode
              </label>
            </fieldset>
            <section class="settings-group" id="settings-shortcuts" tabindex="-1" aria-labelledby="settings-shortcuts-heading">
              <h3 id="settings-shortcuts-heading" class="settings-heading">Keyboard shortcuts</h3>
              <dl class="shortcut-list">
                ${SHORTCUT_HELP.map((entry) => html`<dt><kbd>${entry.keys}</kbd></dt><dd>${entry.text}</dd>`)}
              </dl>
            </section>
          </div>`
        : nothing}
    `;
  }

  /** Asks the browser for permission only here, when the user ticks the box. */
  #toggleNotify = async (event: Event): Promise<void> => {
    const box = event.target as HTMLInputElement;
    if (!box.checked) {
      this.note = null;
      preferences.update({ notify: false });
      return;
    }
    if (typeof Notification === "undefined") {
      box.checked = false;
      this.note = "This browser cannot show notifications.";
      return;
    }
    const permission = Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
    if (permission !== "granted") {
      box.checked = false;
      this.note = "The browser blocks notifications for this site; allow them in its site settings.";
      preferences.update({ notify: false });
      return;
    }
    this.note = null;
    preferences.update({ notify: true });
  };

}

customElements.define("settings-menu", SettingsMenu);

declare global {
  interface HTMLElementTagNameMap {
    "settings-menu": SettingsMenu;
  }
}
