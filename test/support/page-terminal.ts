// Reading the page's terminal in browser tests: its buffer, waiting for text to show up there, where a string is drawn, typing.
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

/**
 * How many device pixels of the terminal's screen are drawn dark (text, on the light theme), counted in a
 * screenshot: what a person sees, whichever renderer drew it.
 */
export async function darkPixels(page: Page): Promise<number> {
  const png = await page.locator("terminal-view .xterm-screen").screenshot();
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! < 300) dark++;
    return dark;
  }, png.toString("base64"));
}

/** Every line of the page's terminal buffer (scrollback and screen). */
export async function terminalLines(page: Page): Promise<string[]> {
  return (await terminalText(page)).split("\n");
}

/**
 * The page coordinates of the middle of the `index`-th character of the last on-screen occurrence of `needle`,
 * from the screen element's box and the grid size, or null when the needle is not in view.
 */
export function cellPoint(page: Page, needle: string, index = 0): Promise<{ x: number; y: number } | null> {
  return page.evaluate(
    ([text, at]) => {
      const view = document.querySelector("terminal-view") as (Element & { terminal: import("@xterm/xterm").Terminal | null }) | null;
      const terminal = view?.terminal;
      const screen = view?.querySelector(".xterm-screen");
      if (!terminal || !screen) return null;
      const buffer = terminal.buffer.active;
      for (let row = terminal.rows - 1; row >= 0; row--) {
        const line = buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? "";
        const column = line.lastIndexOf(text!);
        if (column < 0) continue;
        const box = screen.getBoundingClientRect();
        const cellWidth = box.width / terminal.cols;
        const cellHeight = box.height / terminal.rows;
        return { x: box.left + (column + Number(at) + 0.5) * cellWidth, y: box.top + (row + 0.5) * cellHeight };
      }
      return null;
    },
    [needle, String(index)],
  );
}

/** Types a line into the focused terminal and presses Enter. */
export async function typeLine(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}
