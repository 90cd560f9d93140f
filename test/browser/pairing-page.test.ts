// Pairing in Debian's Chromium against the whole local stack: names, presence, write and read links, replacing a link.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../scripts/stack";
import { ARTIFACTS, launchChromium } from "../support/chromium";
import { cellPoint, terminalLines, terminalText, waitForTerminalText } from "../support/page-terminal";

const WAIT_MS = 30_000;
/** Where the page keeps the display name (web/display-name.ts). */
const NAME_KEY = "nightona.name.v1";

let stack: Stack;
let browser: Browser;
let stateDir: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "nightona-pairing-"));
  await mkdir(ARTIFACTS, { recursive: true });
  stack = await startStack({ stateDir });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await stack?.close();
  await rm(stateDir, { recursive: true, force: true });
});

/** A fresh browser profile; `name` is stored as the display name before any page loads. */
async function newContext(viewport: { width: number; height: number }, name?: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.url });
  if (name) {
    await context.addInitScript(
      ([key, value]) => {
        if (!localStorage.getItem(key!)) localStorage.setItem(key!, value!);
      },
      [NAME_KEY, name],
    );
  }
  return context;
}

const waitForAttribute = (page: Page, testId: string, name: string, value: string): Promise<void> =>
  expect
    .poll(() => page.getByTestId(testId).first().getAttribute(name), { timeout: WAIT_MS, message: `${testId} ${name}=${value}` })
    .toBe(value);

interface ShownEntry {
  name: string;
  role: string;
  you: string;
  last: string;
}

/** The people in the page's open presence list. */
function presenceEntries(page: Page): Promise<ShownEntry[]> {
  return page.getByTestId("presence-entry").evaluateAll((elements) =>
    elements.map((element) => {
      const entry = element as HTMLElement;
      return {
        name: (entry.querySelector(".presence-name")?.textContent ?? "").replace(/\s+/g, " ").trim(),
        role: entry.dataset.role ?? "",
        you: entry.dataset.you ?? "",
        last: entry.dataset.lastInput ?? "",
      };
    }),
  );
}

function noticeTexts(page: Page, testId: string): Promise<string[]> {
  return page.getByTestId(testId).allTextContents();
}

async function copiedLink(page: Page, kind: "write" | "read"): Promise<string> {
  await page.getByTestId(`copy-${kind}-link`).click();
  await expect.poll(() => page.getByTestId(`copy-${kind}-link`).textContent(), { timeout: WAIT_MS }).toContain("Copied");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/\/s\/[0-9a-f]{20}#token=/);
  return link;
}

/** The page's terminal grid. */
const terminalSize = (page: Page): Promise<{ cols: number; rows: number }> =>
  page.evaluate(() => {
    const view = document.querySelector("terminal-view") as (Element & { terminal: import("@xterm/xterm").Terminal | null }) | null;
    return { cols: view?.terminal?.cols ?? 0, rows: view?.terminal?.rows ?? 0 };
  });

/** The column (from 0) where the terminal shows the mark "EDGE". */
const markColumn = async (page: Page): Promise<number> => (await terminalLines(page)).find((line) => line.includes("EDGE"))?.indexOf("EDGE") ?? -1;

/** Whether the keyboard focus is in the terminal (xterm's hidden textarea). */
const terminalFocused = (page: Page): Promise<boolean> =>
  page.evaluate(() => document.activeElement?.closest("terminal-view") != null);

async function openSession(context: BrowserContext, link: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(link);
  await waitForAttribute(page, "connection-state", "data-state", "open");
  return page;
}

describe("pairing", () => {
  it("names, presence, a writer, a viewer who cannot type, and a replaced read link", async () => {
    const pages: Page[] = [];
    try {
      // The owner starts a shell and calls themself Ada.
      const ownerContext = await newContext({ width: 1280, height: 800 });
      const owner = await ownerContext.newPage();
      pages.push(owner);
      await owner.goto(stack.url);
      await owner.getByTestId("new-shell").click();
      await owner.waitForURL(/\/s\/[0-9a-f]{20}/, { timeout: WAIT_MS });
      await waitForAttribute(owner, "connection-state", "data-state", "open");
      await waitForAttribute(owner, "status-line", "data-phase", "running");
      await owner.getByTestId("name-button").click();
      await owner.getByTestId("name-input").fill("Ada");
      await owner.screenshot({ path: join(ARTIFACTS, "pairing-owner-name.png"), clip: { x: 0, y: 0, width: 1280, height: 120 } });
      await owner.getByTestId("name-input").press("Enter");
      await expect.poll(() => owner.getByTestId("name-button").textContent(), { timeout: WAIT_MS }).toContain("You: Ada");
      expect(await owner.evaluate((key) => localStorage.getItem(key), NAME_KEY)).toBe("Ada");
      await waitForAttribute(owner, "connection-state", "data-state", "open");

      // Copying a link hands the focus back to the terminal: the owner types on without clicking it.
      const writeLink = await copiedLink(owner, "write");
      await expect.poll(() => terminalFocused(owner), { timeout: WAIT_MS }).toBe(true);
      await owner.keyboard.type("echo owner-$((2+3))");
      await owner.keyboard.press("Enter");
      await waitForTerminalText(owner, "owner-5");
      // A mark drawn at a place on the screen (cursor addressing, as Claude draws), in a column Bob's narrower
      // pane will not have. (`\105` is the E: the typed command line does not show the mark itself.)
      const ownerSize = await terminalSize(owner);
      await owner.keyboard.type(`printf '\\0337\\033[3;${ownerSize.cols - 3}H\\105DGE\\0338'`);
      await owner.keyboard.press("Enter");
      await waitForTerminalText(owner, "EDGE");
      expect(await markColumn(owner)).toBe(ownerSize.cols - 4);

      // Bob opens the write link; the owner sees him join and lists both, with roles.
      const bobContext = await newContext({ width: 1100, height: 760 }, "Bob");
      const bob = await openSession(bobContext, writeLink);
      pages.push(bob);
      await waitForAttribute(bob, "role-badge", "data-role", "writer");
      // The owner typed last, so the PTY keeps the owner's size: Bob's terminal takes it too, and the replay is
      // drawn at that size (the mark where the owner sees it), not laid out for Bob's narrower pane.
      await expect.poll(() => terminalSize(bob), { timeout: WAIT_MS }).toEqual(ownerSize);
      await waitForTerminalText(bob, "EDGE");
      expect(await markColumn(bob)).toBe(ownerSize.cols - 4);
      await expect.poll(() => noticeTexts(owner, "presence-notice"), { timeout: WAIT_MS }).toContain("Bob joined as writer");
      await waitForAttribute(owner, "presence-count", "data-count", "2");
      await owner.getByTestId("presence-count").click();
      await expect.poll(() => owner.getByTestId("presence-list").isVisible(), { timeout: WAIT_MS }).toBe(true);
      await expect
        .poll(() => presenceEntries(owner), { timeout: WAIT_MS })
        .toEqual([
          { name: "Ada (you)", role: "owner", you: "true", last: "true" },
          { name: "Bob", role: "writer", you: "false", last: "false" },
        ]);

      // Bob types: the owner's terminal shows it and the list marks Bob as the last to type.
      await bob.getByTestId("terminal").click();
      await bob.keyboard.type("echo from-bob-$((3*3))");
      await bob.keyboard.press("Enter");
      await waitForTerminalText(owner, "from-bob-9");
      await expect
        .poll(() => presenceEntries(owner), { timeout: WAIT_MS })
        .toEqual([
          { name: "Ada (you)", role: "owner", you: "true", last: "false" },
          { name: "Bob", role: "writer", you: "false", last: "true" },
        ]);
      await owner.screenshot({ path: join(ARTIFACTS, "pairing-owner-presence.png") });
      // Esc closes the list and leaves the focus on its badge.
      await owner.getByTestId("presence-list").press("Escape");
      await expect.poll(() => owner.getByTestId("presence-list").count(), { timeout: WAIT_MS }).toBe(0);
      expect(await owner.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("presence-count");

      // A viewer on the read link watches; what they type never reaches the PTY.
      const readLink = await copiedLink(owner, "read");
      const viewerContext = await newContext({ width: 1024, height: 700 }, "Cy");
      const viewer = await openSession(viewerContext, readLink);
      pages.push(viewer);
      await waitForAttribute(viewer, "role-badge", "data-role", "viewer");
      await waitForTerminalText(viewer, "from-bob-9");
      await viewer.getByTestId("terminal").click();
      await viewer.keyboard.type("echo from-viewer");
      await viewer.keyboard.press("Enter");
      await expect.poll(() => terminalFocused(owner), { timeout: WAIT_MS }).toBe(true);
      await owner.keyboard.type("echo after-$((1+1))");
      await owner.keyboard.press("Enter");
      await waitForTerminalText(viewer, "after-2");
      await waitForTerminalText(owner, "after-2");
      expect(await terminalText(owner)).not.toContain("from-viewer");
      expect(await terminalText(viewer)).not.toContain("from-viewer");

      // The owner replaces the read link (a second click confirms): the viewer is cut off with the reason.
      await owner.getByTestId("replace-read-link").click();
      await waitForAttribute(owner, "replace-read-link", "data-armed", "true");
      expect(await owner.getByTestId("replace-read-link").textContent()).toContain("Click again to replace");
      await owner.screenshot({ path: join(ARTIFACTS, "pairing-owner-confirm.png") });
      await owner.getByTestId("replace-read-link").click();
      await expect
        .poll(() => owner.getByTestId("notice").textContent().catch(() => ""), { timeout: WAIT_MS })
        .toContain("Read link replaced — old link no longer works");
      await expect
        .poll(() => viewer.getByTestId("fatal-error").textContent().catch(() => ""), { timeout: WAIT_MS })
        .toContain("This link was revoked by the session owner");
      await waitForAttribute(viewer, "connection-state", "data-state", "closed-fatal");
      await expect.poll(() => noticeTexts(owner, "presence-notice"), { timeout: WAIT_MS }).toContain("Cy left");
      await viewer.screenshot({ path: join(ARTIFACTS, "pairing-viewer-revoked.png") });

      // The old read link no longer opens; the new one does.
      const stale = await viewerContext.newPage();
      pages.push(stale);
      await stale.goto(readLink);
      await expect
        .poll(() => stale.getByTestId("fatal-error").textContent().catch(() => ""), { timeout: WAIT_MS })
        .toContain("This link was revoked by the session owner");
      const newReadLink = await copiedLink(owner, "read");
      expect(newReadLink).not.toBe(readLink);
      const nextContext = await newContext({ width: 1024, height: 700 }, "Dee");
      const next = await openSession(nextContext, newReadLink);
      pages.push(next);
      await waitForAttribute(next, "role-badge", "data-role", "viewer");
      await waitForTerminalText(next, "after-2");
      await expect.poll(() => noticeTexts(owner, "presence-notice"), { timeout: WAIT_MS }).toContain("Dee joined as viewer");
      await waitForAttribute(owner, "presence-count", "data-count", "3");
      await next.screenshot({ path: join(ARTIFACTS, "pairing-new-viewer.png") });
    } catch (error) {
      await Promise.all(
        pages.map((page, index) =>
          page.screenshot({ path: join(ARTIFACTS, `pairing-failure-${index}.png`) }).catch(() => undefined),
        ),
      );
      throw error;
    }
  });

  it("scales a grid wider than a second writer's pane down to fit it, its last column in view", async () => {
    const owner = await (await newContext({ width: 1440, height: 900 })).newPage();
    await owner.goto(stack.url);
    await owner.getByTestId("new-shell").click();
    await owner.waitForURL(/\/s\/[0-9a-f]{20}/, { timeout: WAIT_MS });
    await waitForAttribute(owner, "status-line", "data-phase", "running");
    const ownerSize = await terminalSize(owner);
    await owner.getByTestId("terminal").click();
    await owner.keyboard.type(`printf '\\0337\\033[2;${ownerSize.cols - 3}H\\105DGE\\0338'`); // in the last four columns
    await owner.keyboard.press("Enter");
    await waitForTerminalText(owner, "EDGE");

    // A narrower window on the same session keeps the owner's grid (the owner typed last).
    const second = await openSession(await newContext({ width: 1100, height: 900 }), owner.url());
    await expect.poll(() => terminalSize(second), { timeout: WAIT_MS }).toEqual(ownerSize);
    await waitForTerminalText(second, "EDGE");
    const pane = (await second.getByTestId("terminal").boundingBox())!;
    const ownerPane = (await owner.getByTestId("terminal").boundingBox())!;
    expect(pane.width).toBeLessThan(ownerPane.width); // the case at hand: the grid is wider than this pane
    await expect.poll(async () => (await cellPoint(second, "EDGE", 3))?.x ?? Infinity, { timeout: WAIT_MS }).toBeLessThan(pane.x + pane.width);
    await second.screenshot({ path: join(ARTIFACTS, "pairing-scaled-1100.png") });
  });
});
