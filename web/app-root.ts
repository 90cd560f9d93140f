// <app-root>: picks the page for the URL (`/` start page, `/s/:id#token=…` a session) and follows history navigation.
import { html, LitElement } from "lit";
import { keyed } from "lit/directives/keyed.js";
import { currentRoute, followLink, type Route } from "./router";
import "./start-page";

/** The session page carries xterm.js and its renderers; the start page loads without them. */
const loadSessionPage = (): Promise<unknown> => import("./session-page");

export class AppRoot extends LitElement {
  static override properties = { route: { state: true } };

  declare route: Route;

  constructor() {
    super();
    this.route = currentRoute();
  }

  override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("popstate", this.#onLocationChange);
    window.addEventListener("hashchange", this.#onLocationChange);
    this.addEventListener("click", followLink);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("popstate", this.#onLocationChange);
    window.removeEventListener("hashchange", this.#onLocationChange);
    this.removeEventListener("click", followLink);
  }

  protected override willUpdate(): void {
    // <session-page> upgrades when its module arrives; Lit keeps the properties set before that.
    if (this.route.page === "session") void loadSessionPage();
  }

  override render(): unknown {
    const route = this.route;
    switch (route.page) {
      case "start":
        return html`<start-page></start-page>`;
      case "session":
        if (!route.token) {
          return this.#message(
            "This link has no access token",
            "Session links end in #token=…; copy the whole link, including that part, and open it again.",
          );
        }
        // A new element per session and token: its connection belongs to exactly one link.
        return keyed(
          `${route.id}#${route.token}`,
          html`<session-page session-id=${route.id} .token=${route.token}></session-page>`,
        );
      case "not-found":
        return this.#message("Page not found", `Nothing lives at ${route.path}.`);
      default:
        route satisfies never;
        return null;
    }
  }

  #message(title: string, detail: string): unknown {
    document.title = `${title} · Nightona`;
    return html`<main class="message-page" role="alert" data-testid="page-message">
      <h1>${title}</h1>
      <p>${detail}</p>
      <p><a href="/">Go to the start page</a></p>
    </main>`;
  }

  #onLocationChange = (): void => {
    this.route = currentRoute();
  };
}

customElements.define("app-root", AppRoot);

declare global {
  interface HTMLElementTagNameMap {
    "app-root": AppRoot;
  }
}
