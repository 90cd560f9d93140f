// The session page's everyday comforts in Debian's Chromium against the whole stack: panes at desktop and phone widths,
// the key bar, search, links, the tab title and favicon, and notifications that wait for the user's opt-in.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../scripts/stack";
import { ARTIFACTS, launchChromium } from "../support/chromium";
import { cellPoint, terminalLines, typeLine, waitForTerminalText } from "../support/page-terminal";

/** How long a step may take before the test gives up, in milliseconds. */
const PAGE_WAIT_MS = 30_000;
/** How long Claude Code may take to show its prompt, in milliseconds. */
const CLAUDE_START_MS = 90_000;
/** Where the page keeps pane sizes (web/pane-layout.ts). */
const PANES_KEY = "nightona.panes.v1";
/** A phone: 375 CSS pixels wide, touch input. */
const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true };
/** A desktop whose system setting is light: the page follows it. */
const DESKTOP: BrowserContextOptions = { viewport: { width: 1440, height: 900 }, colorScheme: "light" };

let stack: Stack;
let browser: Browser;
let stateDir: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "nightona-ux-"));
  await mkdir(ARTIFACTS, { recursive: true });
  stack = await startStack({ stateDir });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await stack?.close();
  // A sandbox process can still be writing its last files as the stack stops: retry until the folder is empty.
  await rm(stateDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

async function newContext(options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext({ colorScheme: "dark", ...options });
  contexts.push(context);
  return context;
}

const attribute = (page: Page, testId: string, name: string): Promise<string | null> =>
  page.getByTestId(testId).first().getAttribute(name);

/** Starts a shell (or Claude Code) from the start page and waits until it runs. */
async function startShell(context: BrowserContext, program: "shell" | "claude" = "shell"): Promise<Page> {
  const page = await context.newPage();
  await page.goto(stack.url);
  await page.getByTestId(program === "shell" ? "new-shell" : "new-session").click();
  await page.waitForURL(/\/s\/[0-9a-f]{20}/, { timeout: PAGE_WAIT_MS });
  await expect.poll(() => attribute(page, "connection-state", "data-state"), { timeout: PAGE_WAIT_MS }).toBe("open");
  await expect.poll(() => attribute(page, "status-line", "data-phase"), { timeout: PAGE_WAIT_MS }).toBe("running");
  await waitForTerminalText(page, program === "shell" ? "#" : "❯", CLAUDE_START_MS);
  return page;
}

/** The drawn width of an element, in CSS pixels (0 when it is not shown). */
const widthOf = (page: Page, selector: string): Promise<number> =>
  page.evaluate((css) => document.querySelector(css)?.getBoundingClientRect().width ?? 0, selector);

async function failureShot(page: Page, name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    await page.screenshot({ path: join(ARTIFACTS, `failure-${name}.png`) }).catch(() => undefined);
    throw error;
  }
}

describe("the session page", () => {
  it("at 1440 px shows terminal | tool calls | preview; panes resize, collapse and are remembered", async () => {
    const page = await startShell(await newContext(DESKTOP), "claude");
    await failureShot(page, "layout-1440", async () => {
      expect(await attribute(page, "session-main", "data-layout")).toBe("panes");
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("light");
      expect(await widthOf(page, ".pane-terminal")).toBeGreaterThan(600);
      expect(await widthOf(page, ".pane-tools")).toBeGreaterThan(250);
      expect(await widthOf(page, ".pane-preview")).toBeGreaterThan(250);
      // The preview pane draws the sandbox's app in the layout's preview section.
      await expect.poll(() => page.locator(".pane-preview [data-testid=preview-frame]").count(), { timeout: CLAUDE_START_MS }).toBe(1);
      await page.frameLocator(".pane-preview [data-testid=preview-frame]").locator("h1").waitFor({ timeout: CLAUDE_START_MS });
      await page.screenshot({ path: join(ARTIFACTS, "layout-1440.png") });

      // Dragging the divider left by 100 px widens the tool panel by 100 px.
      const before = await widthOf(page, ".pane-tools");
      const handle = (await page.getByTestId("divider-tools").boundingBox())!;
      await page.mouse.move(handle.x + handle.width / 2, handle.y + 200);
      await page.mouse.down();
      await page.mouse.move(handle.x + handle.width / 2 - 50, handle.y + 200, { steps: 4 });
      await page.mouse.move(handle.x + handle.width / 2 - 100, handle.y + 200, { steps: 4 });
      await page.mouse.up();
      await expect.poll(() => widthOf(page, ".pane-tools"), { timeout: PAGE_WAIT_MS }).toBeCloseTo(before + 100, 0);
      // The keyboard does the same from the focused divider.
      await page.getByTestId("divider-tools").focus();
      await page.keyboard.press("ArrowRight");
      await expect.poll(() => widthOf(page, ".pane-tools"), { timeout: PAGE_WAIT_MS }).toBeCloseTo(before + 100 - 16, 0);

      // Hiding the preview (button, then Ctrl+Shift+3 to bring it back, then hide again) gives the terminal its room.
      const terminalBefore = await widthOf(page, ".pane-terminal");
      await page.getByTestId("toggle-preview").click();
      await expect.poll(() => widthOf(page, ".pane-preview"), { timeout: PAGE_WAIT_MS }).toBe(0);
      expect(await widthOf(page, ".pane-terminal")).toBeGreaterThan(terminalBefore + 300);
      await page.keyboard.press("Control+Shift+Digit3");
      await expect.poll(() => widthOf(page, ".pane-preview"), { timeout: PAGE_WAIT_MS }).toBeGreaterThan(250);
      await page.keyboard.press("Control+Shift+Digit3");
      await expect.poll(() => widthOf(page, ".pane-preview"), { timeout: PAGE_WAIT_MS }).toBe(0);

      // A reload keeps the sizes and the hidden pane (this browser's localStorage).
      const stored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "null"), PANES_KEY);
      expect(stored).toMatchObject({ tools: { width: Math.round(before + 100 - 16), collapsed: false }, preview: { collapsed: true } });
      await page.reload();
      await expect.poll(() => attribute(page, "connection-state", "data-state"), { timeout: PAGE_WAIT_MS }).toBe("open");
      await expect.poll(() => widthOf(page, ".pane-tools"), { timeout: PAGE_WAIT_MS }).toBeCloseTo(before + 100 - 16, 0);
      expect(await widthOf(page, ".pane-preview")).toBe(0);
      expect(await attribute(page, "toggle-preview", "aria-pressed")).toBe("false");
    });
  });

  it("at 375 px puts the terminal first with the panel and preview as tabs, and the key bar sends Ctrl-C", async () => {
    const page = await startShell(await newContext(PHONE));
    await failureShot(page, "layout-375", async () => {
      expect(await attribute(page, "session-main", "data-layout")).toBe("tabs");
      expect(await attribute(page, "tab-terminal", "aria-selected")).toBe("true");
      expect(await widthOf(page, ".pane-terminal")).toBe(375);
      expect(await widthOf(page, ".pane-tools")).toBe(0);
      expect(await widthOf(page, ".pane-preview")).toBe(0);
      expect(await page.getByTestId("key-bar").isVisible()).toBe(true);
      // Nothing sticks out sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

      // A tap on the terminal puts the focus in xterm's text field, which is what opens a phone's keyboard.
      await page.getByTestId("terminal").tap();
      expect(await page.evaluate(() => document.activeElement?.classList.contains("xterm-helper-textarea"))).toBe(true);

      // ^C on the bar interrupts a long sleep: the next command runs long before the sleep would have ended.
      await typeLine(page, "sleep 40");
      await page.waitForTimeout(500);
      await page.getByTestId("key-ctrl-c").tap();
      expect(await page.evaluate(() => document.activeElement?.classList.contains("xterm-helper-textarea"))).toBe(true);
      await typeLine(page, "echo after-bar-$((40+2))");
      await waitForTerminalText(page, "after-bar-42", 10_000);

      // The sticky Ctrl applies to the next key typed on the keyboard: Ctrl, then "c", interrupts too.
      await typeLine(page, "sleep 40");
      await page.waitForTimeout(500);
      await page.getByTestId("key-ctrl").tap();
      expect(await attribute(page, "key-ctrl", "aria-pressed")).toBe("true");
      await page.keyboard.type("c");
      await expect.poll(() => attribute(page, "key-ctrl", "aria-pressed"), { timeout: PAGE_WAIT_MS }).toBe("false");
      await typeLine(page, "echo after-sticky-$((40+3))");
      await waitForTerminalText(page, "after-sticky-43", 10_000);
      // Esc and an arrow from the bar reach readline: Up recalls the previous command line.
      await page.getByTestId("key-up").tap();
      await page.keyboard.press("Enter");
      await expect
        .poll(async () => (await terminalLines(page)).filter((line) => line === "after-sticky-43").length, { timeout: 10_000 })
        .toBe(2);
      await page.screenshot({ path: join(ARTIFACTS, "layout-375.png") });

      // The tabs show the other panes, one at a time.
      await page.getByTestId("tab-tools").tap();
      await expect.poll(() => widthOf(page, ".pane-tools"), { timeout: PAGE_WAIT_MS }).toBe(375);
      expect(await widthOf(page, ".pane-terminal")).toBe(0);
      await page.screenshot({ path: join(ARTIFACTS, "layout-375-tools.png") });
      await page.getByTestId("tab-preview").tap();
      await expect.poll(() => widthOf(page, ".pane-preview"), { timeout: PAGE_WAIT_MS }).toBe(375);
      await page.getByTestId("tab-terminal").tap();
      await expect.poll(() => widthOf(page, ".pane-terminal"), { timeout: PAGE_WAIT_MS }).toBe(375);
    });
  });

  it("finds text in the terminal with a match count, copies what is selected, and opens a link that is clicked", async () => {
    const context = await newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.url });
    const page = await startShell(context);
    await failureShot(page, "search-links", async () => {
      await page.getByTestId("terminal").click();
      for (let i = 1; i <= 3; i++) await typeLine(page, `echo needle-$((${i}*7))-found`);
      await waitForTerminalText(page, "needle-21-found");

      await page.keyboard.press("Control+Shift+KeyF");
      const field = page.getByTestId("terminal-search-input");
      await expect.poll(() => field.isVisible(), { timeout: PAGE_WAIT_MS }).toBe(true);
      // Three typed lines and their three outputs.
      await field.fill("-found");
      await expect.poll(() => page.locator(".search-count").textContent(), { timeout: PAGE_WAIT_MS }).toMatch(/^\d of 6$/);
      await field.fill("needle-14");
      await expect.poll(() => page.locator(".search-count").textContent(), { timeout: PAGE_WAIT_MS }).toBe("1 of 1");
      await field.fill("not-in-the-terminal");
      await expect.poll(() => page.locator(".search-count").textContent(), { timeout: PAGE_WAIT_MS }).toBe("No matches");
      await field.press("Escape");
      await expect.poll(() => field.count(), { timeout: PAGE_WAIT_MS }).toBe(0);

      // Ctrl+Shift+L copies a share link: the owner gets the read link.
      await page.keyboard.press("Control+Shift+KeyL");
      await expect.poll(() => page.getByTestId("notice").textContent(), { timeout: PAGE_WAIT_MS }).toBe("Read link copied");
      expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/\/s\/[0-9a-f]{20}#token=/);

      // Copy on select: a double-click selects a word, and the word is on the clipboard.
      const word = await cellPoint(page, "needle-14-found", 2);
      expect(word).not.toBeNull();
      await page.mouse.dblclick(word!.x, word!.y);
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), { timeout: PAGE_WAIT_MS }).toBe("needle-14-found");

      // A URL printed by the program is a link: a click opens it in a new tab.
      const target = `${stack.url}/?opened-from=terminal-link`;
      await typeLine(page, `printf '%s\\n' '${target}'`);
      await waitForTerminalText(page, `${target}\n`.trimEnd());
      const point = await cellPoint(page, "opened-from", 0);
      expect(point).not.toBeNull();
      await page.mouse.move(point!.x, point!.y);
      await expect.poll(() => page.evaluate(() => document.querySelector(".xterm-screen")?.classList.contains("xterm-cursor-pointer")), {
        timeout: PAGE_WAIT_MS,
      }).toBe(true);
      const opened = context.waitForEvent("page", { timeout: PAGE_WAIT_MS });
      await page.mouse.click(point!.x, point!.y);
      const tab = await opened;
      await tab.waitForURL(/opened-from=terminal-link/, { timeout: PAGE_WAIT_MS });
      expect(tab.url()).toBe(target);
    });
  });

  it("shows Claude's state in the tab title and favicon, and on the start page", async () => {
    const context = await newContext({ viewport: { width: 1280, height: 800 } });
    const page = await startShell(context);
    await failureShot(page, "title", async () => {
      const sessionCode = new URL(page.url()).pathname.slice(3, 11);
      expect(await page.title()).toBe(`bash · ${sessionCode} · Nightona`);
      const favicon = (): Promise<string> =>
        page.evaluate(() => decodeURIComponent(document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? ""));
      await page.getByTestId("terminal").click();

      // The shell draws what Claude Code draws (its window title, its input box, a spinner, a permission menu);
      // the room's parser reads the screen and the page follows. printf escapes keep the typed line from matching.
      const rule = "printf '\\u2500%.0s' {1..40}; echo";
      await typeLine(page, `printf '\\e]0;Claude Code\\a'; clear; ${rule}; printf '\\u276f \\n'; ${rule}`);
      await expect.poll(() => page.title(), { timeout: PAGE_WAIT_MS }).toBe(`Idle · bash · ${sessionCode} · Nightona`);
      expect(await favicon()).toContain("#c3e88d");

      await typeLine(page, "clear; printf '\\u273b Working\\u2026 (esc to %s)\\n' interrupt");
      await expect.poll(() => page.title(), { timeout: PAGE_WAIT_MS }).toBe(`Working · bash · ${sessionCode} · Nightona`);
      expect(await favicon()).toContain("#82aaff");

      await typeLine(page, "clear; printf ' Do you want to proceed?\\n \\u276f 1. Yes\\n   2. No\\n\\n Esc to cancel\\n'");
      await expect.poll(() => page.title(), { timeout: PAGE_WAIT_MS }).toBe(`⚠ Needs permission · bash · ${sessionCode} · Nightona`);
      expect(await favicon()).toContain("#ffc777");
      await page.screenshot({ path: join(ARTIFACTS, "title-needs-permission.png") });

      // The start page lists the session with the state this browser last saw, and when.
      await page.getByRole("link", { name: "Nightona" }).click();
      await page.waitForURL(`${stack.url}/`);
      const item = page.locator(`[data-session-id^="${sessionCode}"]`);
      await expect.poll(() => item.getAttribute("data-state"), { timeout: PAGE_WAIT_MS }).toBe("attention");
      expect(await item.textContent()).toContain("Needs permission");
      expect(await item.locator(".session-activity").textContent()).toMatch(/now|second|minute/);
      expect(await page.title()).toBe("Nightona");
      await page.screenshot({ path: join(ARTIFACTS, "start-page-1280.png") });
    });
  });

  it("asks for notification permission only once the user opts in", async () => {
    const context = await newContext({ viewport: { width: 1280, height: 800 } });
    // Counts the page's calls of the browser's permission request; the request itself still runs.
    await context.addInitScript(() => {
      const original = Notification.requestPermission.bind(Notification);
      (window as unknown as { permissionRequests: number }).permissionRequests = 0;
      Notification.requestPermission = ((...args: Parameters<typeof Notification.requestPermission>) => {
        (window as unknown as { permissionRequests: number }).permissionRequests += 1;
        return original(...args);
      }) as typeof Notification.requestPermission;
    });
    const page = await startShell(context);
    const requests = (): Promise<number> => page.evaluate(() => (window as unknown as { permissionRequests: number }).permissionRequests);
    await failureShot(page, "notifications", async () => {
      await page.getByTestId("terminal").click();
      await typeLine(page, "echo working-$((1+1))");
      await waitForTerminalText(page, "working-2");
      await page.getByTestId("settings-button").click();
      await expect.poll(() => page.getByTestId("settings-popover").isVisible(), { timeout: PAGE_WAIT_MS }).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, "settings-1280.png") });
      expect(await requests()).toBe(0);
      expect(await page.evaluate(() => Notification.permission)).toBe("default");
      expect(await page.getByTestId("notify-toggle").isChecked()).toBe(false);

      await page.getByTestId("notify-toggle").click();
      await expect.poll(requests, { timeout: PAGE_WAIT_MS }).toBe(1);
    });
  });

  it("notifies a user who opted in when Claude finishes while the tab is hidden; the theme follows the choice", async () => {
    const context = await newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(["notifications"], { origin: stack.url });
    // Records the notifications the page shows (they still go to the browser as usual).
    await context.addInitScript(() => {
      const shown: Array<{ title: string; body: string }> = [];
      (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
      window.Notification = class extends Notification {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push({ title, body: options?.body ?? "" });
        }
      };
    });
    const page = await startShell(context);
    const shown = (): Promise<Array<{ title: string; body: string }>> =>
      page.evaluate(() => (window as unknown as { shownNotifications: Array<{ title: string; body: string }> }).shownNotifications);
    await failureShot(page, "theme", async () => {
      await page.getByTestId("settings-button").click();
      await page.getByTestId("notify-toggle").click();
      await expect.poll(() => page.getByTestId("notify-toggle").isChecked(), { timeout: PAGE_WAIT_MS }).toBe(true);
      expect(await page.evaluate(() => JSON.parse(localStorage.getItem("nightona.preferences.v1") ?? "{}").notify)).toBe(true);
      await page.keyboard.press("Escape");

      // Claude works (as the shell draws it), the user looks at another tab, Claude's turn ends.
      await page.getByTestId("terminal").click();
      await typeLine(page, "printf '\\e]0;Claude Code\\a'; clear; printf '\\u273b Working\\u2026 (esc to %s)\\n' interrupt");
      await expect.poll(() => page.title(), { timeout: PAGE_WAIT_MS }).toMatch(/^Working/);
      expect(await shown()).toEqual([]);
      // Headless Chromium keeps every tab visible; the page is told it is hidden, as a background tab would be.
      await page.evaluate(() => Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" }));
      const rule = "printf '\\u2500%.0s' {1..40}; echo";
      await typeLine(page, `clear; ${rule}; printf '\\u276f \\n'; ${rule}`);
      await expect.poll(() => page.title(), { timeout: PAGE_WAIT_MS }).toMatch(/^Idle/);
      await expect.poll(shown, { timeout: PAGE_WAIT_MS }).toEqual([
        { title: "Claude finished", body: "Claude is waiting for your next prompt." },
      ]);
      await page.evaluate(() => Reflect.deleteProperty(document, "visibilityState"));

      // Screen reader mode mirrors the terminal into an accessible tree.
      await page.getByTestId("settings-button").click();
      await page.getByTestId("screen-reader-toggle").check();
      await expect.poll(() => page.locator("terminal-view .xterm-accessibility").count(), { timeout: PAGE_WAIT_MS }).toBe(1);
      await page.getByTestId("screen-reader-toggle").uncheck();
      await expect.poll(() => page.locator("terminal-view .xterm-accessibility").count(), { timeout: PAGE_WAIT_MS }).toBe(0);
      await page.keyboard.press("Escape");

      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
      await page.getByTestId("settings-button").click();
      await page.getByTestId("theme-light").check();
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), { timeout: PAGE_WAIT_MS }).toBe("light");
      const background = (): Promise<string> =>
        page.evaluate(() => {
          const view = document.querySelector("terminal-view") as (Element & { terminal: import("@xterm/xterm").Terminal | null }) | null;
          return view?.terminal?.options.theme?.background ?? "";
        });
      expect(await background()).toBe("#f7f8fc");
      await page.keyboard.press("Escape");
      await page.screenshot({ path: join(ARTIFACTS, "theme-light-1280.png") });
      await page.reload();
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), { timeout: PAGE_WAIT_MS }).toBe("light");
      await page.emulateMedia({ colorScheme: "light" });
      await page.getByTestId("settings-button").click();
      await page.getByTestId("theme-system").check();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("light");
      await page.emulateMedia({ colorScheme: "dark" });
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme), { timeout: PAGE_WAIT_MS }).toBe("dark");
      await expect.poll(background, { timeout: PAGE_WAIT_MS }).toBe("#11131c");
    });
  });
});
