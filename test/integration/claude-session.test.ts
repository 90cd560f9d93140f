// The whole stack end to end: sandbox host + wrangler dev + SessionRoom + the real claude, driven by the scripted Messages API.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../scripts/stack";
import { startScriptedAnthropic, type ScriptedAnthropic, type ScriptedTurn } from "../fixtures/scripted-anthropic";
import {
  CAT_COMMAND,
  HELLO_FILE,
  HELLO_TEXT,
  LONG_BASH_COMMAND,
  LONG_BASH_DONE,
  LONG_BASH_SCRIPT,
  LONG_BASH_TAG,
  WRITE_BASH_DONE,
  WRITE_BASH_TAG,
  writeThenBashScript,
} from "../fixtures/scripts";
import { IDLE_TITLE } from "../fixtures/claude-driver";
import { Screen } from "../support/screen";
import { attach, createSession } from "../support/stack-client";
import { workspaceOf } from "../support/workspace";
import type { TestClient } from "../support/test-client";
import type { ToolEvent } from "../../parsers/protocol";

const COLS = 160;
const ROWS = 40;
/** A fake key; claude in the sandbox must use it without asking (the sandbox host pre-approves it). */
const API_KEY = "sk-ant-api03-nightona-integration-0000000000";
const CLAUDE_COMMAND = "claude --dangerously-skip-permissions --verbose";
const CLAUDE_START_MS = 60_000;
const TURN_MS = 30_000;
/** An interrupt must land long before the scripted call would end on its own. */
const INTERRUPT_MS = 5_000;
const INTERRUPTED = "Interrupted · What should Claude do instead?";

let stack: Stack;
let anthropic: ScriptedAnthropic;
let stateDir: string;
/** Scripts are filled in per session, once its sandbox (and so its workspace path) exists. */
const scripts: Record<string, ScriptedTurn[]> = {};

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "nightona-integration-"));
  anthropic = await startScriptedAnthropic({ scripts });
  stack = await startStack({
    stateDir,
    vars: { ANTHROPIC_BASE_URL: anthropic.url, ANTHROPIC_API_KEY: API_KEY },
  });
});

afterAll(async () => {
  await stack?.close();
  await anthropic?.close();
  await rm(stateDir, { recursive: true, force: true });
});

/** Reads a client's output as rendered lines. */
function screenOf(client: TestClient): () => Promise<string[]> {
  const screen = new Screen(COLS, ROWS);
  return () => screen.lines(client.text);
}

async function waitForLines(
  client: TestClient,
  lines: () => Promise<string[]>,
  what: string,
  holds: (lines: string[]) => boolean,
  timeoutMs: number,
): Promise<void> {
  let latest: string[] = [];
  await client
    .waitFor(what, () => {
      void lines().then((rendered) => (latest = rendered));
      return holds(latest);
    }, timeoutMs)
    .catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- screen ---\n${latest.filter((line) => line.trim()).slice(-40).join("\n")}`);
    });
}

/** The window title most recently set (OSC 0 or 2): claude shows its state there. */
function lastTitle(output: string): string | undefined {
  return [...output.matchAll(/\x1b\][02];([^\x07\x1b]*)(?:\x07|\x1b\\)/g)].at(-1)?.[1];
}

/** The latest version of each tool call a client was sent, in order of first appearance. */
function finalTools(client: TestClient): ToolEvent[] {
  const byId = new Map<string, ToolEvent>();
  for (const event of client.of("tool")) byId.set(event.id, event);
  return [...byId.values()];
}

/** The row after the last one containing `header`: where a tool call's result or state is shown. */
function rowAfterLast(lines: string[], header: string): string | undefined {
  const index = lines.findLastIndex((line) => line.includes(header));
  return index < 0 ? undefined : lines.slice(index + 1, index + 3).join(" ");
}

describe("a Claude Code session through the whole stack", () => {
  it("shows a Write and a Bash call to two clients, acts in the workspace, and stops a long call on Ctrl-C", async () => {
    const session = await createSession(stack.url, { command: CLAUDE_COMMAND, cols: COLS, rows: ROWS });
    const owner = await attach(stack.url, session.id, session.tokens.owner);
    const partner = await attach(stack.url, session.id, session.tokens.write);
    const ownerLines = screenOf(owner);
    const partnerLines = screenOf(partner);
    await owner.waitForRunning(CLAUDE_START_MS);

    const workspace = await workspaceOf(stack, stateDir, session.id);
    scripts[WRITE_BASH_TAG] = writeThenBashScript(workspace);
    scripts[LONG_BASH_TAG] = LONG_BASH_SCRIPT;

    const isIdle = (lines: string[]): boolean => lastTitle(owner.text) === IDLE_TITLE && lines.some((line) => line.startsWith("❯"));
    await waitForLines(owner, ownerLines, "claude's prompt", isIdle, CLAUDE_START_MS);

    // The partner types the prompt; both see the turn.
    partner.type(`make the file #${WRITE_BASH_TAG}`);
    await waitForLines(partner, partnerLines, "the typed prompt", (lines) => lines.some((line) => line.includes(`#${WRITE_BASH_TAG}`)), TURN_MS);
    partner.type("\r");
    for (const [client, lines] of [[owner, ownerLines], [partner, partnerLines]] as const) {
      await waitForLines(client, lines, "the end of the turn", (rendered) => rendered.some((line) => line.includes(WRITE_BASH_DONE)), TURN_MS);
      expect(rowAfterLast(await lines(), `Bash(${CAT_COMMAND})`)).toContain(HELLO_TEXT);
    }
    expect(await readFile(join(workspace, HELLO_FILE), "utf8")).toBe(`${HELLO_TEXT}\n`);
    expect(anthropic.toolUses.map((use) => use.name)).toEqual(["Write", "Bash"]);

    // The room's parser lifted both calls out of the terminal output, for every client.
    for (const client of [owner, partner]) {
      await client.waitFor("both tool calls done", () => finalTools(client).filter((tool) => tool.status === "done").length >= 2);
      expect(finalTools(client).map((tool) => [tool.tool, tool.target, tool.status])).toEqual([
        ["Write", join(workspace, HELLO_FILE), "done"],
        ["Bash", CAT_COMMAND, "done"],
      ]);
    }

    // A long Bash call, stopped by the owner's Ctrl-C.
    owner.type(`run it #${LONG_BASH_TAG}`);
    await waitForLines(owner, ownerLines, "the typed prompt", (lines) => lines.some((line) => line.includes(`#${LONG_BASH_TAG}`)), TURN_MS);
    owner.type("\r");
    const longHeader = `Bash(${LONG_BASH_COMMAND})`;
    await waitForLines(owner, ownerLines, "the long call to run", (lines) => rowAfterLast(lines, longHeader)?.includes("Running") ?? false, TURN_MS);
    const pressed = Date.now();
    owner.type("\x03");
    for (const [client, lines] of [[owner, ownerLines], [partner, partnerLines]] as const) {
      await waitForLines(client, lines, "the interrupt", (rendered) => rowAfterLast(rendered, longHeader)?.includes(INTERRUPTED) ?? false, INTERRUPT_MS);
    }
    expect(Date.now() - pressed).toBeLessThan(INTERRUPT_MS);
    await owner.waitFor("the long call marked interrupted", () =>
      finalTools(owner).some((tool) => tool.target === LONG_BASH_COMMAND && tool.status === "interrupted"),
    );
    expect((await ownerLines()).join("\n")).not.toContain(LONG_BASH_DONE);
    expect(owner.phase()).toBe("running"); // claude is still there, at its prompt
    expect(owner.discontinuities + partner.discontinuities).toBe(0);

    // Claude exits; a restart continues the conversation (`claude --continue`), which shows it again.
    owner.type("/exit");
    await waitForLines(owner, ownerLines, "the typed command", (lines) => lines.some((line) => line.includes("/exit")), TURN_MS);
    owner.type("\r");
    await owner.waitFor("claude to exit", () => owner.phase() === "exited", TURN_MS);
    const restartedAt = owner.text.length;
    owner.sendMessage({ type: "restart" });
    await owner.waitForRunning(CLAUDE_START_MS);
    await owner.waitFor("the conversation shown again", () => owner.text.slice(restartedAt).includes(`#${WRITE_BASH_TAG}`), CLAUDE_START_MS);
    expect(owner.text.slice(restartedAt)).not.toContain("No conversation found");
  });

  it("echoes what a writer types in a bash session to every client", async () => {
    const session = await createSession(stack.url, { command: "bash" });
    const writer = await attach(stack.url, session.id, session.tokens.write);
    const viewer = await attach(stack.url, session.id, session.tokens.read);
    await writer.waitForRunning();
    writer.type("echo typed-$((20+22))\r");
    await writer.waitForText("typed-42");
    await viewer.waitForText("typed-42");
    expect(viewer.text).toBe(writer.text);
  });
});
