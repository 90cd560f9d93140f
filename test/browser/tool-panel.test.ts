// The tool panel in Debian's Chromium against the whole stack, with the real claude driven by the scripted Messages API.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Locator, type Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ARTIFACTS } from "../support/chromium";
import { useClaudeInChromium } from "../support/claude-in-chromium";
import type { ScriptedTurn } from "../fixtures/scripted-anthropic";
import { CAT_COMMAND, HELLO_FILE, HELLO_TEXT, WRITE_BASH_DONE, WRITE_BASH_TAG, writeThenBashScript } from "../fixtures/scripts";
import { createSession } from "../support/stack-client";
import { workspaceOf } from "../support/workspace";

const VIEWPORT = { width: 1280, height: 800 };
/** A fake key; claude in the sandbox must use it without asking (the sandbox host pre-approves it). */
const API_KEY = "sk-ant-api03-nightona-browser-tools-000000000";
const CLAUDE_START_MS = 90_000;
const TURN_MS = 60_000;
const WAIT_MS = 30_000;
const TEST_MS = 300_000;

/** A text-only turn long enough to push earlier output out of view: type `... #filler`. */
const FILLER_TAG = "filler";
const FILLER_LINES = 70;
const FILLER_SCRIPT: ScriptedTurn[] = [
  {
    content: [
      { type: "text", text: Array.from({ length: FILLER_LINES }, (_, i) => `- filler line ${i + 1}`).join("\n") },
    ],
  },
];
const FILLER_END = `filler line ${FILLER_LINES}`;
/** How Claude draws the Bash call's header. */
const BASH_HEADER = `Bash(${CAT_COMMAND})`;

/** Scripts are filled in per session, once its sandbox (and so its workspace path) exists. */
const scripts: Record<string, ScriptedTurn[]> = { [FILLER_TAG]: FILLER_SCRIPT };
const setup = useClaudeInChromium({ name: "tool-panel", apiKey: API_KEY, scripts, viewport: VIEWPORT });

/** Everything in the page's terminal buffer (scrollback and screen), as lines. */
function terminalLines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const view = document.querySelector("terminal-view") as (Element & { terminal: import("@xterm/xterm").Terminal | null }) | null;
    const buffer = view?.terminal?.buffer.active;
    if (!buffer) return [];
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? "");
    return lines;
  });
}

/** Which buffer lines the terminal shows now: [first, first + rows). */
function viewport(page: Page): Promise<{ first: number; rows: number }> {
  return page.evaluate(() => {
    const view = document.querySelector("terminal-view") as (Element & { terminal: import("@xterm/xterm").Terminal | null }) | null;
    const terminal = view?.terminal;
    return { first: terminal?.buffer.active.viewportY ?? -1, rows: terminal?.rows ?? 0 };
  });
}

/** Whether a line containing `needle` is in view. */
async function inView(page: Page, needle: string): Promise<boolean> {
  const [lines, { first, rows }] = await Promise.all([terminalLines(page), viewport(page)]);
  return lines.some((line, index) => line.includes(needle) && index >= first && index < first + rows);
}

/** The row of the viewport showing the last line containing `needle`; negative or ≥ rows when out of view. */
async function viewRow(page: Page, needle: string): Promise<number | null> {
  const [lines, { first }] = await Promise.all([terminalLines(page), viewport(page)]);
  const index = lines.findLastIndex((line) => line.includes(needle));
  return index < 0 ? null : index - first;
}

function scrollTerminal(page: Page, where: "top" | "bottom"): Promise<void> {
  return page.evaluate((to) => {
    const view = document.querySelector("terminal-view") as (Element & { terminal: import("@xterm/xterm").Terminal | null }) | null;
    if (to === "top") view?.terminal?.scrollToTop();
    else view?.terminal?.scrollToBottom();
  }, where);
}

/** Runs `check`, saving a screenshot of the page if it fails. */
async function withScreenshot(page: Page, name: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    await page.screenshot({ path: join(ARTIFACTS, `tool-panel-failure-${name}.png`) }).catch(() => undefined);
    const tail = (await terminalLines(page).catch(() => [])).filter((line) => line.trim()).slice(-30).join("\n");
    throw new Error(`${String(error)}\n--- terminal ---\n${tail}`);
  }
}

const waitForTerminal = (page: Page, needle: string, timeout = TURN_MS): Promise<void> =>
  withScreenshot(page, "terminal", () =>
    expect.poll(async () => (await terminalLines(page)).join("\n"), { timeout, message: `terminal shows ${needle}` }).toContain(needle),
  );

const waitForClaudeState = (page: Page, state: string, timeout = TURN_MS): Promise<void> =>
  withScreenshot(page, "state", () =>
    expect.poll(() => page.getByTestId("claude-state").getAttribute("data-state"), { timeout, message: `claude is ${state}` }).toBe(state),
  );

/** Waits until `locator` matches `count` elements. */
const expectCount = (locator: Locator, count: number): Promise<void> =>
  expect.poll(() => locator.count(), { timeout: WAIT_MS, message: `${count} × ${locator.toString()}` }).toBe(count);

const call = (page: Page, tool: string): Locator => page.locator(`[data-testid="tool-call"][data-tool="${tool}"]`);

const waitForCallStatus = (page: Page, tool: string, status: string, timeout = TURN_MS): Promise<void> =>
  withScreenshot(page, "call", () =>
    expect.poll(() => call(page, tool).last().getAttribute("data-status", { timeout: 1_000 }).catch(() => null), {
      timeout,
      message: `${tool} call ${status}`,
    }).toBe(status),
  );

/** Opens a new Claude session's owner link in a fresh page and waits for the sandbox; returns the page and workspace. */
async function openClaudeSession(command: string): Promise<{ page: Page; workspace: string; readLink: string }> {
  const session = await createSession(setup.stack.url, { command, cols: 160, rows: 40 });
  // This person hid the preview pane (web/pane-layout.ts): Claude's long Write header fits on one terminal row.
  const page = await setup.openPage(`${setup.stack.url}/s/${session.id}#token=${session.tokens.owner}`, (context) =>
    context.addInitScript(() =>
      localStorage.setItem("nightona.panes.v1", JSON.stringify({ preview: { width: 380, collapsed: true } })),
    ),
  );
  await withScreenshot(page, "running", () =>
    expect.poll(() => page.getByTestId("status-line").getAttribute("data-phase"), { timeout: CLAUDE_START_MS }).toBe("running"),
  );
  const workspace = await workspaceOf(setup.stack, setup.stateDir, session.id);
  scripts[WRITE_BASH_TAG] = writeThenBashScript(workspace);
  await waitForTerminal(page, "❯", CLAUDE_START_MS);
  await waitForClaudeState(page, "idle", CLAUDE_START_MS);
  await expectCount(page.getByTestId("tool-panel-empty"), 1);
  return { page, workspace, readLink: `${setup.stack.url}/s/${session.id}#token=${session.tokens.read}` };
}

/** Types a prompt into the terminal and sends it once claude shows it. */
async function prompt(page: Page, text: string): Promise<void> {
  await page.getByTestId("terminal").click();
  await page.keyboard.type(text);
  await waitForTerminal(page, text);
  await page.keyboard.press("Enter");
}

describe("the tool panel", () => {
  it(
    "lists claude's Write and Bash calls live, follows its state, reveals a call in the terminal, and filters by tool",
    async () => {
      const { page, workspace } = await openClaudeSession("claude --dangerously-skip-permissions --verbose");
      await page.screenshot({ path: join(ARTIFACTS, "tool-panel-idle.png") });

      await prompt(page, `make the file #${WRITE_BASH_TAG}`);
      await waitForCallStatus(page, "Write", "done");
      await waitForCallStatus(page, "Bash", "done");
      await waitForTerminal(page, WRITE_BASH_DONE);
      await waitForClaudeState(page, "idle");
      expect(await readFile(join(workspace, HELLO_FILE), "utf8")).toBe(`${HELLO_TEXT}\n`);

      await expectCount(page.getByTestId("tool-panel-empty"), 0);
      await expectCount(page.getByTestId("tool-call"), 2);
      const bash = call(page, "Bash");
      expect(await bash.locator(".tool-target").textContent()).toBe(CAT_COMMAND);
      expect(await call(page, "Write").locator(".tool-target").getAttribute("title")).toBe(join(workspace, HELLO_FILE));
      expect(await page.getByTestId("tool-call").evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.tool))).toEqual([
        "Write",
        "Bash",
      ]);
      await page.screenshot({ path: join(ARTIFACTS, "tool-panel-done.png") });

      // More output pushes the Bash call out of view; picking it in the panel scrolls back to it.
      await prompt(page, `print a long list #${FILLER_TAG}`);
      await waitForTerminal(page, FILLER_END);
      await waitForClaudeState(page, "idle");
      await scrollTerminal(page, "bottom");
      expect(await inView(page, BASH_HEADER)).toBe(false);
      await bash.click();
      await withScreenshot(page, "reveal", () =>
        expect.poll(() => inView(page, BASH_HEADER), { timeout: WAIT_MS, message: `${BASH_HEADER} in view` }).toBe(true),
      );
      await page.screenshot({ path: join(ARTIFACTS, "tool-panel-reveal.png") });

      // The keyboard does the same: Enter on the Write call.
      await scrollTerminal(page, "bottom");
      await call(page, "Write").locator("button").focus();
      await page.keyboard.press("Enter");
      // The header itself, not the path in the result under it, comes into view two rows below the top.
      await expect.poll(() => viewRow(page, `Write(${workspace}`), { timeout: WAIT_MS }).toBe(2);

      // The filter keeps one tool's calls.
      await page.locator('[data-testid="tool-filter"][data-tool="Bash"]').click();
      await expectCount(call(page, "Write"), 0);
      await expectCount(call(page, "Bash"), 1);
      await page.screenshot({ path: join(ARTIFACTS, "tool-panel-filter.png") });
      await page.locator('[data-testid="tool-filter"][data-tool="all"]').click();
      await expectCount(page.getByTestId("tool-call"), 2);

      // A reload gets the room's history: the same calls once each, without durations this page never measured.
      await page.reload();
      await waitForClaudeState(page, "idle", WAIT_MS);
      await expectCount(page.getByTestId("tool-call"), 2);
      await expectCount(page.locator('[data-testid="tool-call"][data-status="done"]'), 2);
      await expectCount(page.getByTestId("tool-duration"), 0);
    },
    TEST_MS,
  );

  it(
    "offers claude's permission menu as buttons, and a Yes lets the Write go ahead",
    async () => {
      const { page, workspace, readLink } = await openClaudeSession("claude --permission-mode default --verbose");
      await prompt(page, `make the file #${WRITE_BASH_TAG}`);

      await waitForClaudeState(page, "awaiting-permission");
      await waitForCallStatus(page, "Write", "awaiting-permission");
      const yes = page.getByTestId("permission-option").filter({ hasText: /^\s*Yes\s*1?\s*$/ });
      await expectCount(yes, 1);
      await page.screenshot({ path: join(ARTIFACTS, "tool-panel-permission.png") });

      // Someone on the read link sees the same options, as text.
      const viewer = await setup.openPage(readLink);
      await waitForClaudeState(viewer, "awaiting-permission", WAIT_MS);
      await expectCount(viewer.getByTestId("permission-option"), await page.getByTestId("permission-option").count());
      const tags = await viewer.getByTestId("permission-option").evaluateAll((options) => options.map((option) => option.tagName));
      expect(tags.every((tag) => tag === "LI")).toBe(true);
      await viewer.screenshot({ path: join(ARTIFACTS, "tool-panel-permission-viewer.png") });
      await yes.click();
      await waitForCallStatus(page, "Write", "done");
      expect(await readFile(join(workspace, HELLO_FILE), "utf8")).toBe(`${HELLO_TEXT}\n`);

      // Claude may ask about the Bash call too; the same button answers it.
      await withScreenshot(page, "bash-permission", () =>
        expect
          .poll(
            async () => {
              const state = await page.getByTestId("claude-state").getAttribute("data-state");
              if (state === "awaiting-permission" && (await yes.count()) === 1) await yes.click();
              return call(page, "Bash").getAttribute("data-status", { timeout: 1_000 }).catch(() => null);
            },
            { timeout: TURN_MS, interval: 500, message: "Bash call done" },
          )
          .toBe("done"),
      );
      await waitForTerminal(page, WRITE_BASH_DONE);
      await waitForClaudeState(page, "idle");
      await expectCount(page.getByTestId("permission-option"), 0);
    },
    TEST_MS,
  );
});
