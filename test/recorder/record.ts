// Records corpus sessions: the real `claude` in a PTY against the scripted Messages API, saved as <name>.cast + <name>.truth.json.
// Usage: npx tsx test/recorder/record.ts --claude <bin> --out test/corpus/<version> [--held-out] [--only a,b] [--list]
import { execFileSync } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { prepareClaudeHome } from "../../sandbox-host/claude-home";
import { buildClaudeEnv } from "../fixtures/claude-driver";
import { startScriptedAnthropic } from "../fixtures/scripted-anthropic";
import { CastWriter } from "./cast-writer";
import { ClaudePty, looksIdle, permissionOptions, sleep, type MenuOption } from "./claude-pty";
import type { Answer, Scenario, Step, VersionLine } from "./scenario";
import { HELD_OUT_ROUND_2, HELD_OUT_SCENARIOS, SCENARIOS } from "./scenarios";
import { readToolResults, truthTools, type StopMark, type TruthTool } from "./truth";

/** Fixed, fake-looking places for the session, so casts do not carry this machine's paths. */
const CORPUS_ROOT = "/tmp/nightona-corpus";
const WORKSPACE = join(CORPUS_ROOT, "ws");
const HOME = join(CORPUS_ROOT, "home");
/** The token claude sends; the scripted server accepts anything. */
const AUTH_TOKEN = "nightona-corpus-token";
/** Start-up to the first idle prompt (2.0.x parses a large JS bundle), in ms. */
const START_TIMEOUT_MS = 60_000;
/** Exit after the two Ctrl-C presses, in ms. */
const EXIT_TIMEOUT_MS = 10_000;
/** Between the two exit presses, in ms (well inside claude's "press again" window). */
const EXIT_PRESS_GAP_MS = 300;
/** Keys for Esc, Enter and Ctrl-C. */
const ESC = "\x1b";
const ENTER = "\r";
const CTRL_C = "\x03";
/** A menu option that is a text input ("Type here to tell Claude what to do differently"). */
const INPUT_OPTION = /tell Claude what to do differently/;
/** How long `answer-all` keeps answering, in ms. */
const ANSWER_ALL_TIMEOUT_MS = 120_000;
/** Between focusing an input option and submitting it, in ms. */
const INPUT_OPTION_PAUSE_MS = 300;

/** One line of the corpus manifest. */
export interface ManifestEntry {
  /** Path of the session without extension, relative to the manifest. */
  session: string;
  version: string;
  line: VersionLine;
  heldOut: boolean;
  /** Held-out batch (see Scenario.round). */
  round?: 1 | 2;
  cols: number;
  verbose: boolean;
  mode: Scenario["mode"];
  about: string;
}

/** What `<name>.truth.json` holds. */
export interface TruthFile {
  scenario: string;
  about: string;
  version: string;
  cols: number;
  rows: number;
  verbose: boolean;
  mode: Scenario["mode"];
  workspace: string;
  heldOut: boolean;
  tools: TruthTool[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      claude: { type: "string" },
      out: { type: "string" },
      only: { type: "string" },
      manifest: { type: "string", default: "test/corpus/manifest.json" },
      list: { type: "boolean", default: false },
      "held-out": { type: "boolean", default: false },
    },
  });
  const scenarios = values["held-out"] ? [...HELD_OUT_SCENARIOS, ...HELD_OUT_ROUND_2] : SCENARIOS;
  if (values.list) {
    for (const scenario of [...SCENARIOS, ...HELD_OUT_SCENARIOS, ...HELD_OUT_ROUND_2]) console.log(`${scenario.name}${scenario.heldOut ? " (held out)" : ""}: ${scenario.about}`);
    return;
  }
  if (!values.claude || !values.out) throw new Error("usage: record.ts --claude <bin> --out <dir> [--held-out] [--only a,b] [--manifest file] [--list]");
  const bin = resolve(values.claude);
  const version = claudeVersion(bin);
  const line: VersionLine = version.startsWith("2.0.") ? "2.0" : "2.1";
  const only = values.only ? new Set(values.only.split(",")) : undefined;
  const chosen = scenarios.filter((s) => (!only || only.has(s.name)) && (!s.versions || s.versions.includes(line)));
  await mkdir(values.out, { recursive: true });
  for (const scenario of chosen) {
    process.stderr.write(`recording ${scenario.name} with claude ${version}…\n`);
    let recorded: { cast: string; truth: TruthFile };
    try {
      recorded = await recordScenario(bin, version, line, scenario);
    } catch (error) {
      process.stderr.write(`  FAILED, nothing saved: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
      continue;
    }
    const { cast, truth } = recorded;
    const base = join(values.out, scenario.name);
    await writeFile(`${base}.cast`, cast);
    await writeFile(`${base}.truth.json`, `${JSON.stringify(truth, null, 2)}\n`);
    await updateManifest(values.manifest, {
      session: relative(dirname(values.manifest), base),
      version,
      line,
      heldOut: scenario.heldOut ?? false,
      ...(scenario.round ? { round: scenario.round } : {}),
      cols: scenario.cols,
      verbose: scenario.verbose,
      mode: scenario.mode,
      about: scenario.about,
    });
    const summary = truth.tools.map((t) => `${t.name}:${t.status}${t.nested ? "(nested)" : ""}`).join(" ");
    process.stderr.write(`  ${Buffer.byteLength(cast)} bytes; ${summary}\n`);
  }
}

/** `claude --version` → "2.1.332". */
function claudeVersion(bin: string): string {
  const script = bin.endsWith(".js");
  const out = execFileSync(script ? process.execPath : bin, script ? [bin, "--version"] : ["--version"], { encoding: "utf8" });
  const match = /(\d+\.\d+\.\d+)/.exec(out);
  if (!match?.[1]) throw new Error(`cannot read the version from ${JSON.stringify(out)}`);
  return match[1];
}

async function recordScenario(bin: string, version: string, line: VersionLine, scenario: Scenario): Promise<{ cast: string; truth: TruthFile }> {
  await rm(CORPUS_ROOT, { recursive: true, force: true });
  await mkdir(WORKSPACE, { recursive: true });
  await mkdir(HOME, { recursive: true });
  for (const [path, content] of Object.entries(scenario.files ?? {})) {
    await mkdir(dirname(join(WORKSPACE, path)), { recursive: true });
    await writeFile(join(WORKSPACE, path), content);
  }
  const server = await startScriptedAnthropic({ scripts: scenario.scripts(WORKSPACE, line) });
  const env = buildClaudeEnv({ home: HOME, baseUrl: server.url, authToken: AUTH_TOKEN, extra: { DISABLE_TELEMETRY: "1", DISABLE_ERROR_REPORTING: "1", ...scenario.env } });
  await prepareClaudeHome({ home: HOME, workspace: WORKSPACE, env });
  await acceptBypassWarning(join(HOME, ".claude.json"));
  const args = [...(scenario.mode === "bypass" ? ["--dangerously-skip-permissions"] : ["--permission-mode", "default"]), ...(scenario.verbose ? ["--verbose"] : [])];
  if (scenario.mcp) args.push("--mcp-config", await writeMcpConfig(join(HOME, "mcp.json")), "--strict-mcp-config");
  const cast = new CastWriter({ width: scenario.cols, height: scenario.rows, title: scenario.name, env: { TERM: env.TERM ?? "xterm-256color" } });
  const claude = new ClaudePty({ bin, args, cwd: WORKSPACE, env, cols: scenario.cols, rows: scenario.rows, cast });
  const marks: StopMark[] = [];
  try {
    await claude.waitForIdle(START_TIMEOUT_MS);
    for (const step of scenario.steps) await runStep(claude, step, line, (kind) => marks.push({ kind, sentBefore: server.toolUses.length }));
    await claude.waitForIdle();
    claude.send(CTRL_C);
    await sleep(EXIT_PRESS_GAP_MS);
    claude.send(CTRL_C);
    await Promise.race([claude.exited, sleep(EXIT_TIMEOUT_MS)]);
  } finally {
    await claude.stop();
    await server.close();
  }
  const results = await readToolResults(join(HOME, ".claude", "projects"));
  const truth: TruthFile = {
    scenario: scenario.name,
    about: scenario.about,
    version,
    cols: scenario.cols,
    rows: scenario.rows,
    verbose: scenario.verbose,
    mode: scenario.mode,
    workspace: WORKSPACE,
    heldOut: scenario.heldOut ?? false,
    tools: truthTools(server.toolUses, results, new Set(scenario.nestedScripts ?? []), marks),
  };
  return { cast: cast.text(), truth };
}

/** Runs one step; `stopped` notes a key that denies or interrupts tool calls. */
async function runStep(claude: ClaudePty, step: Step, line: VersionLine, stopped: (kind: StopMark["kind"]) => void): Promise<void> {
  switch (step.do) {
    case "prompt": {
      await claude.waitForIdle();
      claude.send(step.text);
      await claude.waitFor((rows) => rows.findLast((row) => /^\s*[❯>]/.test(row))?.includes(step.text) ?? false, `the input box to show ${step.text}`);
      claude.send(ENTER);
      await claude.waitFor((rows) => promptEchoed(rows, step.text), `claude to take the prompt ${step.text}`);
      return;
    }
    case "answer":
      return answer(claude, await claude.waitForPermission(), step.choose, stopped, await claude.viewport());
    case "answer-all": {
      const deadline = performance.now() + (step.timeoutMs ?? ANSWER_ALL_TIMEOUT_MS);
      for (;;) {
        let options: MenuOption[] = [];
        await claude.waitFor((rows) => {
          options = permissionOptions(rows);
          return options.length > 0 || looksIdle(rows);
        }, "a permission dialog or the idle prompt", Math.max(0, deadline - performance.now()));
        if (options.length === 0) {
          await claude.waitForIdle();
          return;
        }
        await answer(claude, await claude.waitForPermission(), step.choose, stopped, await claude.viewport());
      }
    }
    case "wait":
      return claude.waitFor((rows) => step.for.test(rows.join("\n")), String(step.for), step.timeoutMs);
    case "keys":
      if (step.only && step.only !== line) return;
      if (step.keys.includes(ESC) || step.keys.includes(CTRL_C)) stopped("interrupt");
      claude.send(step.keys);
      return;
    case "idle":
      return claude.waitForIdle(step.timeoutMs);
    case "resize":
      claude.resize(step.cols, step.rows);
      return;
    case "pause":
      return sleep(step.ms);
    default: {
      const never: never = step;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}

async function answer(claude: ClaudePty, options: MenuOption[], choose: Answer, stopped: (kind: StopMark["kind"]) => void, screen: string[]): Promise<void> {
  const keys = answerKeys(choose, options, screen);
  if (choose === "no" || choose === "esc") stopped("deny");
  claude.send(keys);
  if (options.find((o) => o.digit === keys && INPUT_OPTION.test(o.label))) {
    // An input option (2.0.x "Type here to tell Claude…") takes focus first; Enter submits it empty.
    await sleep(INPUT_OPTION_PAUSE_MS);
    claude.send(ENTER);
  }
  await claude.waitForNoPermission();
}

/** The prompt shows above the input box (claude echoes a prompt it took). */
function promptEchoed(rows: string[], text: string): boolean {
  const rule = rows.findLastIndex((row) => /^─{20,}\s*$/.test(row));
  const box = rows.slice(0, rule).findLastIndex((row) => /^─{20,}\s*$/.test(row));
  return rows.slice(0, box < 0 ? rule : box).some((row) => /^\s*[❯>]/.test(row) && row.includes(text));
}

/** Keys that pick an answer in a permission menu: the option's digit, or Enter/Esc. */
function answerKeys(choose: Answer, options: MenuOption[], screen: string[]): string {
  if (choose === "enter") return ENTER;
  if (choose === "esc") return ESC;
  const pick =
    choose === "yes"
      ? options.find((o) => /^Yes\b/.test(o.label))
      : choose === "always"
        ? options.find((o) => /^Yes,/.test(o.label))
        : (options.find((o) => /^No\b/.test(o.label)) ?? options.find((o) => INPUT_OPTION.test(o.label)));
  if (!pick) throw new Error(`no "${choose}" option in ${JSON.stringify(options)}\n--- screen ---\n${screen.join("\n")}`);
  return pick.digit;
}

/** An MCP config that starts the recorder's weather server under this Node. */
async function writeMcpConfig(file: string): Promise<string> {
  const server = fileURLToPath(new URL("./mcp-weather.mjs", import.meta.url));
  await writeFile(file, JSON.stringify({ mcpServers: { weather: { type: "stdio", command: process.execPath, args: [server] } } }));
  return file;
}

/** 2.0.x asks once before bypass mode unless the global config says it was accepted (2.1.x reads the settings key instead). */
async function acceptBypassWarning(configFile: string): Promise<void> {
  const config = JSON.parse(await readFile(configFile, "utf8")) as Record<string, unknown>;
  await writeFile(configFile, `${JSON.stringify({ ...config, bypassPermissionsModeAccepted: true }, null, 2)}\n`);
}

async function updateManifest(file: string, entry: ManifestEntry): Promise<void> {
  let entries: ManifestEntry[] = [];
  try {
    entries = JSON.parse(await readFile(file, "utf8")) as ManifestEntry[];
  } catch {
    entries = [];
  }
  entries = [...entries.filter((e) => e.session !== entry.session), entry].sort((a, b) => a.session.localeCompare(b.session));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(entries, null, 2)}\n`);
}

await main();
