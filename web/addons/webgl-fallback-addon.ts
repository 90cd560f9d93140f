// WebglFallbackAddon: draws with WebGL when the browser can, and falls back to xterm's DOM renderer when it cannot or loses the context.
import { WebglAddon } from "@xterm/addon-webgl";
import type { IDisposable, ITerminalAddon, Terminal } from "@xterm/xterm";

export type RendererKind = "webgl" | "dom";

export class WebglFallbackAddon implements ITerminalAddon {
  #webgl: WebglAddon | null = null;
  #contextLoss: IDisposable | null = null;
  readonly #listeners = new Set<(renderer: RendererKind) => void>();

  /** Which renderer draws the terminal now. */
  get renderer(): RendererKind {
    return this.#webgl ? "webgl" : "dom";
  }

  /** Loads WebGL; call after `terminal.open()`, since the addon needs the terminal's element. */
  activate(terminal: Terminal): void {
    if (!terminal.element) throw new Error("WebglFallbackAddon: load it after terminal.open()");
    if (!hasWebgl2()) return;
    const webgl = new WebglAddon();
    try {
      terminal.loadAddon(webgl);
    } catch (error) {
      console.info("terminal.renderer", { renderer: "dom", reason: String(error) });
      webgl.dispose();
      return;
    }
    this.#webgl = webgl;
    // A lost context (GPU reset, too many contexts) leaves a blank canvas: dispose and let the DOM renderer draw.
    this.#contextLoss = webgl.onContextLoss(() => this.#fallBack("context lost"));
  }

  /** When the renderer switches from WebGL to DOM. */
  onChange(listener: (renderer: RendererKind) => void): IDisposable {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  dispose(): void {
    this.#contextLoss?.dispose();
    this.#contextLoss = null;
    this.#webgl?.dispose();
    this.#webgl = null;
    this.#listeners.clear();
  }

  #fallBack(reason: string): void {
    if (!this.#webgl) return;
    console.info("terminal.renderer", { renderer: "dom", reason });
    this.#contextLoss?.dispose();
    this.#contextLoss = null;
    this.#webgl.dispose();
    this.#webgl = null;
    for (const listener of this.#listeners) listener("dom");
  }
}

/** WebGL2 is what the addon needs. The probe's context is released at once: browsers cap live contexts. */
function hasWebgl2(): boolean {
  try {
    const gl = document.createElement("canvas").getContext("webgl2");
    gl?.getExtension("WEBGL_lose_context")?.loseContext();
    return gl !== null;
  } catch {
    return false;
  }
}
