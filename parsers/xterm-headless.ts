// @xterm/headless's Terminal, wherever this code runs.
import * as xtermHeadless from "@xterm/headless";
import type { Terminal as TerminalType } from "@xterm/headless";

/**
 * The package ships CommonJS: Node's ESM loader only exposes `default`, bundlers expose the named export too.
 */
export const { Terminal } = ((xtermHeadless as unknown as { Terminal?: typeof TerminalType }).Terminal
  ? xtermHeadless
  : (xtermHeadless as unknown as { default: typeof xtermHeadless }).default) as typeof xtermHeadless;
export type Terminal = TerminalType;
