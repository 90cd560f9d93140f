// WebglFallbackAddon: draws with WebGL when the browser can, and leaves xterm's DOM renderer in place when it cannot or loses the context.
import type { WebglAddon } from "@xterm/addon-webgl";
import type { IDisposable, ITerminalAddon, Terminal } from "@xterm/xterm";

export type RendererKind = "webgl" | "dom";

/**
 * The DOM renderer draws at once; the WebGL addon's module loads in the background and takes over when it
 * arrives, unless WebGL2 is missing or the addon fails. A lost context hands drawing back to the DOM renderer.
 */
export class WebglFallbackAddon implements ITerminalAddon {
  #webgl: WebglAddon | null = null;
  #contextLoss: IDisposable | null = null;
  #disposed = false;
  readonly #listeners = new Set<(renderer: RendererKind) => void>();

  /** Which renderer draws the terminal now. */
  get renderer(): RendererKind {
    return this.#webgl ? "webgl" : "dom";
  }

  /** Call after `terminal.open()`: the WebGL addon needs the terminal's element. */
  activate(terminal: Terminal): void {
    if (!terminal.element || !hasWebgl2()) return;
    import("@xterm/addon-webgl").then(
      ({ WebglAddon }) => this.#load(terminal, new WebglAddon()),
      (error: unknown) => console.info("terminal.renderer", { renderer: "dom", reason: String(error) }),
    );
  }

  /** When the renderer switches. */
  onChange(listener: (renderer: RendererKind) => void): IDisposable {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  dispose(): void {
    this.#disposed = true;
    this.#contextLoss?.dispose();
    this.#contextLoss = null;
    this.#webgl?.dispose();
    this.#webgl = null;
    this.#listeners.clear();
  }

  #load(terminal: Terminal, webgl: WebglAddon): void {
    if (this.#disposed || !terminal.element) return;
    try {
      terminal.loadAddon(webgl);
    } catch (error) {
      console.info("terminal.renderer", { renderer: "dom", reason: String(error) });
      webgl.dispose();
      return;
    }
    this.#webgl = webgl;
    // A lost context (GPU reset, too many contexts) leaves a blank canvas: dispose it and the DOM renderer draws again.
    this.#contextLoss = webgl.onContextLoss(() => this.#fallBack("context lost"));
    this.#emit();
  }

  #fallBack(reason: string): void {
    if (!this.#webgl) return;
    console.info("terminal.renderer", { renderer: "dom", reason });
    this.#contextLoss?.dispose();
    this.#contextLoss = null;
    this.#webgl.dispose();
    this.#webgl = null;
    this.#emit();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener(this.renderer);
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
