// The set-up of a browser test with the real claude: the whole stack, the scripted Messages API as Anthropic's, and
// Debian's Chromium, started once for a test file (its beforeAll) and stopped after it (its afterAll).
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type Stack, startStack } from "../../scripts/stack";
import { startScriptedAnthropic, type ScriptedAnthropic, type ScriptedTurn } from "../fixtures/scripted-anthropic";
import { ARTIFACTS, launchChromium } from "./chromium";

export interface ClaudeInChromiumOptions {
  /** Names the state folder. */
  name: string;
  /** A fake key; claude in the sandbox must use it without asking (the sandbox host pre-approves it). */
  apiKey: string;
  /** The scripted turns by tag; tests may add to it once a session's workspace exists. */
  scripts: Record<string, ScriptedTurn[]>;
  viewport: { width: number; height: number };
}

export class ClaudeInChromium {
  stack!: Stack;
  anthropic!: ScriptedAnthropic;
  stateDir!: string;
  #browser: Browser | undefined;
  readonly #contexts: BrowserContext[] = [];

  constructor(private readonly options: ClaudeInChromiumOptions) {}

  /** A page in a fresh browser context (a person of their own), `prepare`d before it loads `url`. */
  async openPage(url: string, prepare?: (context: BrowserContext) => Promise<unknown>): Promise<Page> {
    const context = await this.#browser!.newContext({ viewport: this.options.viewport });
    this.#contexts.push(context);
    await prepare?.(context);
    const page = await context.newPage();
    await page.goto(url);
    return page;
  }

  async start(): Promise<void> {
    this.stateDir = await mkdtemp(join(tmpdir(), `nightona-${this.options.name}-`));
    await mkdir(ARTIFACTS, { recursive: true });
    this.anthropic = await startScriptedAnthropic({ scripts: this.options.scripts });
    this.stack = await startStack({
      stateDir: this.stateDir,
      vars: { ANTHROPIC_BASE_URL: this.anthropic.url, ANTHROPIC_API_KEY: this.options.apiKey },
    });
    this.#browser = await launchChromium();
  }

  async stop(): Promise<void> {
    for (const context of this.#contexts) await context.close().catch(() => undefined);
    await this.#browser?.close();
    await this.stack?.close();
    await this.anthropic?.close();
    // A sandbox process can still be writing its last files as the stack stops: retry until the folder is empty.
    if (this.stateDir) await rm(this.stateDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

/** Starts it all before the test file's tests and stops it after them. */
export function useClaudeInChromium(options: ClaudeInChromiumOptions): ClaudeInChromium {
  const setup = new ClaudeInChromium(options);
  beforeAll(() => setup.start());
  afterAll(() => setup.stop());
  return setup;
}
