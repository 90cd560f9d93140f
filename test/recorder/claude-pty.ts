// Runs one `claude` binary in a real PTY for the recorder: records every byte into a cast, renders the screen, waits on it.
import { createRequire } from "node:module";
import { spawn, type IPty } from "node-pty";
import type { Terminal as TerminalType } from "@xterm/headless";
import type { CastWriter } from "./cast-writer";

// @xterm/headless ships CommonJS whose named exports Node's ESM loader cannot see.
const { Terminal } = createRequire(import.meta.url)("@xterm/headless") as typeof import("@xterm/headless");

/** How often waits look at the screen, in ms. */
const POLL_MS = 50;
/** Default wait, in ms. */
const DEFAULT_WAIT_MS = 30_000;
/** Output must have paused this long before the session counts as idle, in ms. */
const IDLE_QUIET_MS = 400;
/** Rows of history the recorder's screen keeps. */
const SCROLLBACK_LINES = 2_000;
/** Rows quoted in a failed wait. */
const QUOTE_ROWS = 40;
/** A rule of the input box: this many box-drawing dashes or more. */
const RULE = /^─{20,}\s*$/;
/** A numbered menu option, possibly with the `❯` cursor. */
const MENU_OPTION = /^\s*[│ ]*\s*(?:❯\s*)?(\d)\.\s*(\S.*?)\s*[│]?\s*$/;

export interface LaunchOptions {
  /** A native executable, or a `.js` CLI that runs under this Node. */
  bin: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  cast: CastWriter;
}

export class ClaudePty {
  readonly #pty: IPty;
  readonly #screen: TerminalType;
  readonly #cast: CastWriter;
  #lastOutput = performance.now();
  #exit: { exitCode: number; signal?: number } | undefined;
  readonly exited: Promise<void>;

  constructor(options: LaunchOptions) {
    const script = options.bin.endsWith(".js");
    this.#cast = options.cast;
    this.#pty = spawn(script ? process.execPath : options.bin, script ? [options.bin, ...options.args] : [...options.args], {
      name: options.env.TERM ?? "xterm-256color",
      cols: options.cols,
      rows: options.rows,
      cwd: options.cwd,
      env: options.env,
      encoding: null,
    });
    this.#screen = new Terminal({ cols: options.cols, rows: options.rows, scrollback: SCROLLBACK_LINES, allowProposedApi: true });
    this.#pty.onData((data: string | Buffer) => {
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      this.#lastOutput = performance.now();
      this.#cast.output(bytes);
      this.#screen.write(bytes);
    });
    this.exited = new Promise((resolve) => {
      this.#pty.onExit((event) => {
        this.#exit = event;
        resolve();
      });
    });
  }

  get exitStatus(): { exitCode: number; signal?: number } | undefined {
    return this.#exit;
  }

  /** Sends keys to claude and records them as an input event. */
  send(keys: string): void {
    this.#cast.input(keys);
    this.#pty.write(keys);
  }

  resize(cols: number, rows: number): void {
    this.#cast.resize(cols, rows);
    this.#pty.resize(cols, rows);
    this.#screen.resize(cols, rows);
  }

  /** Every rendered row (scrollback and viewport), right-trimmed, trailing blank rows dropped. */
  async lines(): Promise<string[]> {
    await new Promise<void>((resolve) => this.#screen.write("", resolve));
    const buffer = this.#screen.buffer.active;
    const rows: string[] = [];
    for (let i = 0; i < buffer.length; i++) rows.push(buffer.getLine(i)?.translateToString(true) ?? "");
    while (rows.length > 0 && rows[rows.length - 1]?.trim() === "") rows.pop();
    return rows;
  }

  /** The viewport rows only. */
  async viewport(): Promise<string[]> {
    const rows = await this.lines();
    const buffer = this.#screen.buffer.active;
    return rows.slice(buffer.baseY);
  }

  /** Polls until `check` holds on the viewport; throws on timeout or exit, quoting the screen. */
  async waitFor(check: (viewport: string[]) => boolean, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const rows = await this.viewport();
      if (check(rows)) return;
      const problem = this.#exit ? `claude exited (${JSON.stringify(this.#exit)})` : performance.now() > deadline ? `timed out after ${timeoutMs} ms` : "";
      if (problem) throw new Error(`${problem} waiting for ${what}\n--- screen ---\n${rows.slice(-QUOTE_ROWS).join("\n")}`);
      await sleep(POLL_MS);
    }
  }

  /** Waits until claude sits at its input box with nothing running and no dialog open. */
  async waitForIdle(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    await this.waitFor((rows) => performance.now() - this.#lastOutput > IDLE_QUIET_MS && looksIdle(rows), "the idle prompt", timeoutMs);
  }

  /** Waits for a permission dialog and returns its numbered options. */
  async waitForPermission(timeoutMs = DEFAULT_WAIT_MS): Promise<MenuOption[]> {
    let options: MenuOption[] = [];
    await this.waitFor(
      (rows) => {
        options = permissionOptions(rows);
        return options.length > 0 && performance.now() - this.#lastOutput > IDLE_QUIET_MS;
      },
      "a permission dialog",
      timeoutMs,
    );
    return options;
  }

  async waitForNoPermission(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    await this.waitFor((rows) => permissionOptions(rows).length === 0, "the permission dialog to close", timeoutMs);
  }

  /** Kills claude if it still runs and waits for it to end. */
  async stop(): Promise<void> {
    if (!this.#exit) this.#pty.kill();
    await this.exited;
    this.#screen.dispose();
  }
}

export interface MenuOption {
  digit: string;
  label: string;
}

/** The options of a permission dialog on screen (`Do you want to …?` over a numbered menu), or []. */
export function permissionOptions(rows: string[]): MenuOption[] {
  const question = rows.findLastIndex((row) => /Do you want to|Would you like to/.test(row));
  if (question < 0) return [];
  const options: MenuOption[] = [];
  for (const row of rows.slice(question + 1)) {
    const match = MENU_OPTION.exec(row);
    if (match?.[1] && match[2] !== undefined) options.push({ digit: match[1], label: match[2] });
  }
  return options.some((option) => option.digit === "1") ? options : [];
}

/** The input box is drawn, nothing shows progress and no dialog is open. */
export function looksIdle(rows: string[]): boolean {
  const rules = rows.flatMap((row, index) => (RULE.test(row) ? [index] : []));
  if (rules.length < 2) return false;
  const top = rules[rules.length - 2] ?? 0;
  const bottom = rules[rules.length - 1] ?? 0;
  const box = rows.slice(top + 1, bottom);
  if (!box.some((row) => /^\s*[❯>]/.test(row))) return false;
  const text = rows.join("\n");
  if (/esc to interrupt/i.test(text)) return false;
  if (permissionOptions(rows).length > 0) return false;
  const above = rows.slice(0, top).filter((row) => row.trim() !== "");
  const last = above[above.length - 1] ?? "";
  return !/^\S \S+… /.test(last);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
