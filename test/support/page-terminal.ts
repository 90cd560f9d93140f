// Reading the page's terminal in browser tests: everything in its buffer, and waiting for text to show up there.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { ARTIFACTS } from "./chromium";

/** Everything in the page's terminal buffer (scrollback and screen), as text. */
export function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const view = document.querySelector("terminal-view") as (Element & { terminal: import("@xterm/xterm").Terminal | null }) | null;
    const buffer = view?.terminal?.buffer.active;
    if (!buffer) return "";
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? "");
    return lines.join("\n");
  });
}

/** Waits until the terminal shows `needle`; saves a screenshot as `failure.png` when it does not. */
export async function waitForTerminalText(page: Page, needle: string, timeoutMs = 30_000): Promise<void> {
  try {
    await expect.poll(() => terminalText(page), { timeout: timeoutMs, message: `terminal shows ${needle}` }).toContain(needle);
  } catch (error) {
    await page.screenshot({ path: join(ARTIFACTS, "failure.png") });
    throw error;
  }
}
