// Measures the parser: throughput on the corpus and on floods against @xterm/headless alone, and how a strip-ANSI
// reader (the alternative to a screen model) scores on the corpus. Usage: npx tsx test/recorder/bench-parser.ts
import { createRequire } from "node:module";
import { replay, utf8, type Recording } from "../../parsers/claude-tui/cast-replay";
import { ClaudeTuiParser } from "../../parsers/claude-tui/claude-tui-parser";
import type { ToolRecord } from "../../parsers/claude-tui/events";
import { identify } from "../../parsers/claude-tui/tool-names";
import { loadManifest, loadSession, type Session } from "./corpus";
import { precision, recall, score, total, type Score } from "./evaluate";

const { Terminal } = createRequire(import.meta.url)("@xterm/headless") as typeof import("@xterm/headless");

/** Runs per measurement; the best one counts (the first warms the JIT up). */
const RUNS = 3;
/** Size of each flood, in bytes. */
const FLOOD_BYTES = 10 * 1024 * 1024;
/** PTY size the floods are parsed at. */
const FLOOD_COLS = 120;
const FLOOD_ROWS = 40;
/** Chunk size the floods arrive in, in bytes (a typical PTY read). */
const FLOOD_CHUNK = 16 * 1024;

function best(run: () => void): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

function mbPerSecond(bytes: number, ms: number): string {
  return `${(bytes / 1024 / 1024 / (ms / 1000)).toFixed(1)} MB/s`;
}

function bytesOf(recording: Recording): number {
  return recording.events.reduce((sum, event) => sum + (event.kind === "output" ? event.bytes.length : 0), 0);
}

/** @xterm/headless alone: every output event written synchronously, nothing read back. */
function xtermOnly(recording: Recording): void {
  const terminal = new Terminal({ cols: recording.cols, rows: recording.rows, scrollback: 1000, allowProposedApi: true, logLevel: "off" });
  const core = (terminal as unknown as { _core: { writeSync(data: Uint8Array): void } })._core;
  for (const event of recording.events) {
    if (event.kind === "output") core.writeSync(event.bytes);
    else terminal.resize(event.cols, event.rows);
  }
  terminal.dispose();
}

function parserRun(recording: Recording): void {
  const parser = new ClaudeTuiParser({ cols: recording.cols, rows: recording.rows });
  replay(parser, recording);
  parser.dispose();
}

/** A flood as one recording of FLOOD_CHUNK-sized reads. */
function flood(data: Uint8Array): Recording {
  const events: Recording["events"] = [];
  for (let at = 0; at < data.length; at += FLOOD_CHUNK) events.push({ time: 0, kind: "output", bytes: data.subarray(at, at + FLOOD_CHUNK) });
  return { cols: FLOOD_COLS, rows: FLOOD_ROWS, events };
}

function repeatTo(text: string, size: number): Uint8Array {
  const unit = utf8(text);
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += unit.length) out.set(unit.subarray(0, Math.min(unit.length, size - at)), at);
  return out;
}

function randomBytes(size: number, seed: number): Uint8Array {
  let state = seed;
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

/**
 * The alternative to a screen model: drop escape sequences from the raw stream (as strip-ansi does), split the text
 * into lines and take every `● Name(args)` line once.
 */
function stripAnsiReader(recording: Recording): ToolRecord[] {
  const decoder = new TextDecoder();
  const text = recording.events.map((event) => (event.kind === "output" ? decoder.decode(event.bytes, { stream: true }) : "")).join("");
  const plain = text.replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?<>=!]*[ -/]*[@-~]|\x1b[@-Z\\-_]|\x1b[()][0-9A-Za-z]/gu, "");
  const seen = new Set<string>();
  const records: ToolRecord[] = [];
  for (const line of plain.split(/\r?\n|\r/u)) {
    const match = /^[●⏺] ?(?<name>[A-Z][\w]*(?: [A-Z][\w]*)?|.+? \(MCP\))\((?<args>.*)\)\s*$/u.exec(line.replace(/\u00a0/gu, " ").trim());
    if (!match?.groups || seen.has(line.trim())) continue;
    seen.add(line.trim());
    const identity = identify(match.groups.name ?? "", match.groups.args ?? "");
    records.push({ id: `s${records.length + 1}`, ...identity, status: "done", start: 0 });
  }
  return records;
}

const sessions: Session[] = loadManifest().map((entry) => loadSession(entry));
const corpusBytes = sessions.reduce((sum, session) => sum + bytesOf(session.recording), 0);
console.log(`corpus: ${sessions.length} sessions, ${(corpusBytes / 1024 / 1024).toFixed(2)} MB of output`);
const xtermMs = best(() => sessions.forEach((session) => xtermOnly(session.recording)));
const parserMs = best(() => sessions.forEach((session) => parserRun(session.recording)));
console.log(`  @xterm/headless alone  ${mbPerSecond(corpusBytes, xtermMs)}`);
console.log(`  parser                 ${mbPerSecond(corpusBytes, parserMs)}  (${((parserMs / xtermMs - 1) * 100).toFixed(0)}% over xterm alone)`);

const floods: [string, Uint8Array][] = [
  ["plain output lines", repeatTo("drwxr-xr-x  4 user staff   128 Nov 29 05:36 some-directory-name\r\n", FLOOD_BYTES)],
  ["coloured output (ls --color, grep)", repeatTo("\x1b[01;34msrc\x1b[0m  \x1b[01;32mbuild.sh\x1b[0m  README.md  \x1b[35mmain.ts\x1b[0m:\x1b[32m12\x1b[0m:  const \x1b[01;31mgamma\x1b[0m = 3;\r\n", FLOOD_BYTES)],
  ["one 10 MB line", repeatTo("x", FLOOD_BYTES)],
  ["binary junk", randomBytes(FLOOD_BYTES, 12345)],
  ["cursor up/down flood", repeatTo("\x1b[A\x1b[B", FLOOD_BYTES)],
  ["erase/home flood", repeatTo("\x1b[2J\x1b[Hab\x1b[K", FLOOD_BYTES)],
];
for (const [name, data] of floods) {
  const recording = flood(data);
  const alone = best(() => xtermOnly(recording));
  let stats = { cellsRead: 0, windowReads: 0 };
  const parsed = best(() => {
    const parser = new ClaudeTuiParser({ cols: FLOOD_COLS, rows: FLOOD_ROWS });
    replay(parser, recording);
    stats = parser.stats();
    parser.dispose();
  });
  console.log(
    `${name.padEnd(36)} xterm alone ${mbPerSecond(data.length, alone).padStart(11)}   parser ${mbPerSecond(data.length, parsed).padStart(11)}   cells read per byte ${(stats.cellsRead / data.length).toFixed(3)}`,
  );
}

console.log("\nstrip-ANSI reader vs the screen-model parser, on the corpus:");
for (const version of [...new Set(sessions.map((session) => session.entry.version))]) {
  const stripped: Score[] = [];
  for (const session of sessions.filter((s) => s.entry.version === version)) stripped.push(score(stripAnsiReader(session.recording), session.truth.tools, session.truth.workspace));
  const sum = total(stripped);
  console.log(`  ${version}: strip-ANSI precision ${(precision(sum) * 100).toFixed(1)}%  recall ${(recall(sum) * 100).toFixed(1)}%`);
}
