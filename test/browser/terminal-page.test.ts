// The page in Debian's Chromium against the whole local stack: start a session, type, see the echo, share a read link.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../scripts/stack";
import { ARTIFACTS, launchChromium } from "../support/chromium";
import { darkPixels, terminalText, waitForTerminalText } from "../support/page-terminal";

const WAIT_MS = 30_000;

let stack: Stack;
let browser: Browser;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "nightona-browser-"));
  await mkdir(ARTIFACTS, { recursive: true });
  stack = await startStack({ stateDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await rm(stateDir, { recursive: true, force: true });
});

describe("the page", () => {
  it("starts a shell session, echoes what the user types, and shows it to a viewer on the read link", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.url });
    const page = await context.newPage();
    await page.goto(stack.url);
    await page.getByTestId("new-shell").click();
    await page.waitForURL(/\/s\/[0-9a-f]{20}/, { timeout: WAIT_MS });
    await expect.poll(() => page.getByTestId("connection-state").getAttribute("data-state"), { timeout: WAIT_MS }).toBe("open");
    await expect.poll(() => page.getByTestId("status-line").getAttribute("data-phase"), { timeout: WAIT_MS }).toBe("running");

    await page.getByTestId("terminal").click();
    await page.keyboard.type("echo browser-$((6*7))");
    await page.keyboard.press("Enter");
    await waitForTerminalText(page, "browser-42");
    await page.screenshot({ path: join(ARTIFACTS, "session-1280.png") });

    // A second browser on the read link sees the same screen and cannot type.
    await page.getByTestId("copy-read-link").click();
    const readLink = await page.evaluate(() => navigator.clipboard.readText());
    expect(readLink).toMatch(/#token=/);
    const viewerContext = await browser.newContext({ viewport: { width: 1024, height: 700 } });
    const viewer = await viewerContext.newPage();
    await viewer.goto(readLink);
    await waitForTerminalText(viewer, "browser-42");
    await expect.poll(() => viewer.getByTestId("role-badge").getAttribute("data-role"), { timeout: WAIT_MS }).toBe("viewer");
    await viewer.getByTestId("terminal").click();
    await viewer.keyboard.type("echo from-viewer");
    await viewer.keyboard.press("Enter");
    await page.getByTestId("terminal").click(); // the copy button took the focus
    await page.keyboard.type("echo after-$((1+1))");
    await page.keyboard.press("Enter");
    await waitForTerminalText(viewer, "after-2");
    expect(await terminalText(page)).not.toContain("from-viewer");
    await viewer.screenshot({ path: join(ARTIFACTS, "viewer-1024.png") });

    await viewerContext.close();
    await context.close();
  });

  it("draws the terminal's text on a HiDPI screen (device pixel ratio 2)", async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.goto(stack.url);
    await page.getByTestId("new-shell").click();
    await page.waitForURL(/\/s\/[0-9a-f]{20}/, { timeout: WAIT_MS });
    await expect.poll(() => page.getByTestId("status-line").getAttribute("data-phase"), { timeout: WAIT_MS }).toBe("running");
    const blank = await darkPixels(page);

    await page.getByTestId("terminal").click();
    const line = "M".repeat(60);
    await page.keyboard.type(`echo ${line}`);
    await page.keyboard.press("Enter");
    await waitForTerminalText(page, `${line}\n`);
    await page.waitForTimeout(200); // a frame for the renderer
    await page.screenshot({ path: join(ARTIFACTS, "session-hidpi.png") });
    // 120 Ms leave thousands of dark device pixels at this ratio (about 40 each), a renderer that draws no text none.
    expect((await darkPixels(page)) - blank).toBeGreaterThan(120 * 10);
    await context.close();
  });
});
