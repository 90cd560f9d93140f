// The preview pane in Debian's Chromium against the whole stack: the template app renders in the frame, and a change
// the real claude (driven by the scripted Messages API) makes to the app reaches the frame through Vite's HMR.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Daytona } from "@daytonaio/sdk";
import { type Frame, type Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ARTIFACTS } from "../support/chromium";
import { useClaudeInChromium } from "../support/claude-in-chromium";
import { terminalText } from "../support/page-terminal";
import type { ScriptedTurn } from "../fixtures/scripted-anthropic";
import { APP_HEADING, APP_MODULE, EDIT_APP_DONE, EDIT_APP_TAG, EDITED_APP_HEADING, editAppScript } from "../fixtures/scripts";
import { createSession } from "../support/stack-client";
import { workspaceOf } from "../support/workspace";

const VIEWPORT = { width: 1280, height: 900 };
/** A fake key; claude in the sandbox must use it without asking (the sandbox host pre-approves it). */
const API_KEY = "sk-ant-api03-nightona-browser-preview-0000000";
const CLAUDE_START_MS = 90_000;
const TURN_MS = 60_000;
const WAIT_MS = 30_000;
const TEST_MS = 300_000;
/** Width of the phone frame (PREVIEW_WIDTHS in web/preview-pane.ts), in CSS pixels. */
const PHONE_WIDTH = 390;

/** Scripts are filled in per session, once its sandbox (and so its workspace path) exists. */
const scripts: Record<string, ScriptedTurn[]> = {};
const setup = useClaudeInChromium({ name: "preview", apiKey: API_KEY, scripts, viewport: VIEWPORT });

/** The preview frame's document, once it has loaded the app. */
function appFrame(page: Page): Frame | undefined {
  return page.frames().find((frame) => frame.url().includes("/preview/"));
}

/** The app's heading as the frame shows it; null while there is none. */
async function appHeading(page: Page): Promise<string | null> {
  return (await appFrame(page)?.locator("h1").textContent({ timeout: 1_000 }).catch(() => null)) ?? null;
}

/** Runs `check`, saving a screenshot of the page if it fails. */
async function withScreenshot(page: Page, name: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    await page.screenshot({ path: join(ARTIFACTS, `preview-failure-${name}.png`) }).catch(() => undefined);
    throw error;
  }
}

const waitForHeading = (page: Page, heading: string, timeout = WAIT_MS): Promise<void> =>
  withScreenshot(page, "heading", () =>
    expect.poll(() => appHeading(page), { timeout, message: `the preview shows "${heading}"` }).toBe(heading),
  );

const waitForTerminal = (page: Page, needle: string, timeout = TURN_MS): Promise<void> =>
  withScreenshot(page, "terminal", () =>
    expect.poll(() => terminalText(page), { timeout, message: `terminal shows ${needle}` }).toContain(needle),
  );

describe("the preview pane", () => {
  it(
    "renders a new session's template app, follows claude's edit to it by HMR, and says when nothing is there",
    async () => {
      const session = await createSession(setup.stack.url, { command: "claude --dangerously-skip-permissions --verbose", cols: 120, rows: 40 });
      const page = await setup.openPage(`${setup.stack.url}/s/${session.id}#token=${session.tokens.owner}`);
      await waitForHeading(page, APP_HEADING, CLAUDE_START_MS);

      // The URL bar and "open in new tab" show the sandbox host's preview route for this session's sandbox.
      const workspace = await workspaceOf(setup.stack, setup.stateDir, session.id);
      const sandboxId = workspace.split("/").at(-2)!;
      const previewUrl = `${setup.stack.sandboxHost!.url}/preview/${sandboxId}/3000/`;
      expect(await page.getByTestId("preview-url").inputValue()).toBe(previewUrl);
      expect(await page.getByTestId("preview-open").getAttribute("href")).toBe(previewUrl);
      expect(await page.getByTestId("preview-open").getAttribute("target")).toBe("_blank");
      await page.screenshot({ path: join(ARTIFACTS, "preview-template.png") });

      // Width toggle: a phone frame is drawn 390 px wide and scaled to fit the pane; full takes the pane's width.
      const stage = page.getByTestId("preview-stage");
      const frame = page.getByTestId("preview-frame");
      await page.locator('[data-testid="preview-width"][data-width="phone"]').click();
      expect(await page.locator('[data-testid="preview-width"][data-width="phone"]').getAttribute("aria-pressed")).toBe("true");
      expect(await frame.evaluate((element) => (element as HTMLElement).offsetWidth)).toBe(PHONE_WIDTH);
      const stageBox = (await stage.boundingBox())!;
      const phoneBox = (await frame.boundingBox())!;
      expect(phoneBox.width).toBeLessThanOrEqual(Math.min(PHONE_WIDTH, stageBox.width) + 1);
      expect(await appFrame(page)!.evaluate(() => window.innerWidth)).toBe(PHONE_WIDTH);
      await page.locator('[data-testid="preview-width"][data-width="full"]').click();
      await expect.poll(async () => Math.round((await frame.boundingBox())!.width)).toBe(Math.round(stageBox.width - 2));

      // A viewer sees the same app.
      const viewer = await setup.openPage(`${setup.stack.url}/s/${session.id}#token=${session.tokens.read}`);
      await waitForHeading(viewer, APP_HEADING);

      // Claude edits the app; the frame follows without reloading (the marker set in its window survives).
      await appFrame(page)!.evaluate(() => ((window as unknown as { nightonaMarker: number }).nightonaMarker = 42));
      scripts[EDIT_APP_TAG] = editAppScript(workspace);
      await waitForTerminal(page, "❯", CLAUDE_START_MS);
      await page.getByTestId("terminal").click();
      const prompt = `change the heading #${EDIT_APP_TAG}`;
      await page.keyboard.type(prompt);
      await waitForTerminal(page, prompt);
      await page.keyboard.press("Enter");
      await waitForTerminal(page, EDIT_APP_DONE);
      expect(await readFile(join(workspace, APP_MODULE), "utf8")).toContain(EDITED_APP_HEADING);
      expect(setup.anthropic.toolUses.map((use) => use.name)).toEqual(["Read", "Edit"]);
      await waitForHeading(page, EDITED_APP_HEADING);
      expect(await appFrame(page)!.evaluate(() => (window as unknown as { nightonaMarker?: number }).nightonaMarker)).toBe(42);
      await waitForHeading(viewer, EDITED_APP_HEADING);
      await page.screenshot({ path: join(ARTIFACTS, "preview-edited.png") });

      // With the sandbox stopped, Reload shows the plain state and its Retry; once it runs again, Retry brings the app back.
      // Focus leaves the terminal first: claude asked for focus reports, and a report is input, which starts the sandbox.
      await page.getByTestId("preview-url").click();
      const daytona = new Daytona({ apiKey: "local", apiUrl: setup.stack.sandboxHost!.apiUrl });
      try {
        const sandbox = await daytona.get(`nightona-${session.id}`);
        await sandbox.stop();
        await page.getByTestId("preview-reload").click();
        await withScreenshot(page, "stopped", () =>
          expect.poll(() => stage.getAttribute("data-state"), { timeout: WAIT_MS }).toBe("stopped"),
        );
        expect(await page.getByTestId("preview-empty").textContent()).toContain("not running");
        expect(await page.getByTestId("preview-frame").count()).toBe(0);
        await page.screenshot({ path: join(ARTIFACTS, "preview-stopped.png") });
        await sandbox.start();
        await page.getByTestId("preview-retry").click();
        await waitForHeading(page, EDITED_APP_HEADING);
      } finally {
        await daytona[Symbol.asyncDispose]();
      }
    },
    TEST_MS,
  );
});
