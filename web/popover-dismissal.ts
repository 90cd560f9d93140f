// Closes a header popover the way people expect: Esc (the focus goes back to its button), a click elsewhere on the
// page, or Tab out of it. A Lit controller, shared by the presence list and the settings menu.
import type { ReactiveController, ReactiveControllerHost } from "lit";

export interface PopoverHost extends ReactiveControllerHost, HTMLElement {
  open: boolean;
  /** `refocus` puts the focus back on the popover's button (closing from the keyboard). */
  hide(refocus?: boolean): void;
}

export class PopoverDismissal implements ReactiveController {
  constructor(
    private readonly host: PopoverHost,
    private readonly options: { keepOpenWhilePageUnfocused?: boolean } = {},
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener("pointerdown", this.#onDocumentPointerDown, true);
  }

  hostDisconnected(): void {
    document.removeEventListener("pointerdown", this.#onDocumentPointerDown, true);
  }

  readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== "Escape" || !this.host.open) return;
    event.preventDefault();
    event.stopPropagation();
    this.host.hide(true);
  };

  /** Tabbing (or clicking) out closes it; moving to its own button does not (the button's click toggles). */
  readonly onFocusOut = (event: FocusEvent): void => {
    const next = event.relatedTarget;
    if (next instanceof Node && this.host.contains(next)) return;
    // A browser prompt (e.g. for notifications) takes the focus from the page for a moment.
    if (this.options.keepOpenWhilePageUnfocused && next === null && !document.hasFocus()) return;
    this.host.hide();
  };

  #onDocumentPointerDown = (event: PointerEvent): void => {
    if (this.host.open && event.target instanceof Node && !this.host.contains(event.target)) this.host.hide();
  };
}
