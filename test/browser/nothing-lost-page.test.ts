// In Chromium: a command that exits and restarts, a viewer who joins after the log wrapped (the reset's screen),
// a reloaded page, a page's acknowledgements, and a session that falls asleep and wakes when typed into.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../scripts/stack";
import { Limits } from "../../parsers/protocol";
import { ARTIFACTS, launchChromium } from "../support/chromium";
import { terminalText, waitForTerminalText } from "../support/page-terminal";

const WAIT_MS = 30_000;

let stack: Stack;
let browser: Browser;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "nightona-browser-lost-"));
  await mkdir(ARTIFACTS, { recursive: true });
  stack = await startStack({ stateDir, vars: { IDLE_DETACH_SECONDS: "4", OUTPUT_LOG_BYTES: String(2 * 1024 * 1024) } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await rm(stateDir, { recursive: true, force: true });
});

const phase = (page: Page): Promise<string | null> => page.getByTestId("status-line").getAttribute("data-phase");

async function type(page: Page, line: string): Promise<void> {
  await page.getByTestId("terminal").click();
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}

async function newShell(page: Page): Promise<void> {
  await page.goto(stack.url);
  await page.getByTestId("new-shell").click();
  await page.waitForURL(/\/s\/[0-9a-f]{20}/, { timeout: WAIT_MS });
  await expect.poll(() => phase(page), { timeout: WAIT_MS }).toBe("running");
}

describe("nothing lost, in the page", () => {
  it("restarts an exited command, draws a wrapped log from its screen, and keeps the screen across a reload", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await newShell(page);

    await type(page, "exit 3");
    await expect.poll(() => phase(page), { timeout: WAIT_MS }).toBe("exited");
    await expect.poll(() => page.getByTestId("status-line").textContent(), { timeout: WAIT_MS }).toContain("code 3");
    await page.screenshot({ path: join(ARTIFACTS, "exited-1280.png") });
    await page.getByTestId("restart").click();
    await expect.poll(() => phase(page), { timeout: WAIT_MS }).toBe("running");
    await type(page, "echo restarted-$((6*7))");
    await waitForTerminalText(page, "restarted-42");

    // About 3 MB: the log (2 MiB) no longer holds the start, so a new viewer starts from the reset's screen.
    await type(page, "printf '\\033[1;32mgreen-title\\033[0m\\n'; seq 1 400000; echo wrapped-$((6*7))");
    await waitForTerminalText(page, "wrapped-42", 60_000);
    const viewer = await context.newPage();
    await viewer.goto(page.url());
    await waitForTerminalText(viewer, "wrapped-42");
    const shown = await terminalText(viewer);
    expect(shown).toContain("400000");
    expect(shown).not.toContain("green-title"); // long gone: only what the log and its screen hold
    // The lines just before the log's start come from the reset's screen: the numbers run on without a hole.
    const numbers = shown.split("\n").map((line) => line.trim()).filter((line) => /^\d+$/.test(line)).map(Number);
    expect(numbers.length).toBeGreaterThan(1000);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]! - numbers[i - 1]!).toBe(1);
    await viewer.screenshot({ path: join(ARTIFACTS, "viewer-after-reset-1280.png") });

    // A reload is a new client: it gets the same picture.
    await page.reload();
    await waitForTerminalText(page, "wrapped-42");
    await context.close();
  });

  it("acknowledges output only once its terminal has taken it in", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await newShell(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    const acks: number[] = [];
    cdp.on("Network.webSocketFrameSent", ({ response }) => {
      if (response.opcode === 1 && response.payloadData.includes('"ack"')) acks.push(JSON.parse(response.payloadData).offset);
    });
    // A terminal too busy to take output in: xterm draws what it is given, but tells nobody until released.
    await page.evaluate(`(() => {
      const terminal = document.querySelector("terminal-view").terminal;
      const write = terminal.write.bind(terminal);
      window.heldCallbacks = [];
      terminal.write = (data, done) => write(data, () => window.heldCallbacks.push(done));
    })()`);

    // 900 kB: within the window the room sends without acknowledgements (half this stack's 2 MiB log).
    await type(page, "head -c 900000 /dev/zero | tr '\\0' x; echo; echo held-$((6*7))");
    await waitForTerminalText(page, "held-42");
    expect(acks).toEqual([]); // it all arrived, and the room was told of none of it
    await page.evaluate(`(() => { for (const done of window.heldCallbacks.splice(0)) done?.(); })()`);
    // Released, the page acknowledges what it took in, at least every 256 KiB.
    await expect.poll(() => Math.max(0, ...acks), { timeout: WAIT_MS }).toBeGreaterThanOrEqual(Limits.ackEveryBytes);
    await context.close();
  });

  it("shows a sleeping session, and the first keystroke wakes it with what ran meanwhile", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await newShell(page);
    await type(page, "sleep 6; echo while-asleep-$((6*7))");
    await expect.poll(() => phase(page), { timeout: WAIT_MS }).toBe("asleep");
    await page.screenshot({ path: join(ARTIFACTS, "asleep-1280.png") });
    await new Promise((done) => setTimeout(done, 4000)); // the echo happens with no room attached
    expect(await terminalText(page)).not.toContain("while-asleep-42");

    await type(page, "echo awake-$((6*7))");
    await waitForTerminalText(page, "awake-42");
    const text = await terminalText(page);
    expect(text.indexOf("while-asleep-42")).toBeGreaterThan(0);
    expect(text.indexOf("while-asleep-42")).toBeLessThan(text.indexOf("awake-42"));
    await context.close();
  });
});
