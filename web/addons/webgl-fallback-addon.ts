// WebglFallbackAddon: draws with WebGL on a GPU, and leaves xterm's DOM renderer in place where there is none, where
// the addon fails, or when it loses the context.
import type { WebglAddon } from "@xterm/addon-webgl";
import type { IDisposable, ITerminalAddon, Terminal } from "@xterm/xterm";

export type RendererKind = "webgl" | "dom";

/**
 * The DOM renderer draws at once; the WebGL addon's module loads in the background and takes over when it
 * arrives, unless WebGL2 is missing, runs in software, or the addon fails. A lost context hands drawing back to the
 * DOM renderer.
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
    if (!terminal.element) return;
    const unusable = webgl2Unusable();
    if (unusable) return console.info("terminal.renderer", { renderer: "dom", reason: unusable });
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

/** Renderers that rasterize on the CPU: a browser with no GPU, or with its GPU's driver blocked. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software/i;

/**
 * Why the WebGL addon should not draw here, or null when it may. It needs WebGL2 on a GPU: a software rasterizer is
 * no faster than the DOM renderer, and SwiftShader's draws no text at all at device pixel ratios other than 1 (a
 * HiDPI screen gets a blank terminal). The probe's context is released at once: browsers cap live contexts.
 */
function webgl2Unusable(): string | null {
  try {
    const gl = document.createElement("canvas").getContext("webgl2");
    if (!gl) return "no WebGL2";
    const debug = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return SOFTWARE_RENDERER.test(renderer) ? `software WebGL (${renderer})` : null;
  } catch (error) {
    return String(error);
  }
}
