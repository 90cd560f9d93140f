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

/**
 * Rounds over the corpus, each running @xterm/headless alone and then the parser; the best of each counts. The
 * first rounds warm the JIT up (a room's parser runs for hours), and the machine is shared: many rounds are needed.
 */
const CORPUS_ROUNDS = 15;
/** Rounds per flood (10 MiB each, some slow). */
const FLOOD_ROUNDS = 3;
/** Size of each flood, in bytes. */
const FLOOD_BYTES = 10 * 1024 * 1024;
/** PTY size the floods are parsed at. */
const FLOOD_COLS = 120;
const FLOOD_ROWS = 40;
/** Chunk size the floods arrive in, in bytes (a typical PTY read). */
const FLOOD_CHUNK = 16 * 1024;

/** CPU time of this process, in ms: unlike wall time, it leaves out what other processes on the machine take. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

interface Comparison {
  /** Best CPU time of each side, in ms. */
  alone: number;
  parsed: number;
  /** Median over rounds of parser time ÷ xterm time. */
  medianRatio: number;
}

/** Runs the two sides in turn, `rounds` times, so both see the same load. */
function compare(rounds: number, alone: () => void, parsed: () => void): Comparison {
  let best = { alone: Number.POSITIVE_INFINITY, parsed: Number.POSITIVE_INFINITY };
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let started = cpuMs();
    alone();
    const aloneMs = cpuMs() - started;
    started = cpuMs();
    parsed();
    const parsedMs = cpuMs() - started;
    best = { alone: Math.min(best.alone, aloneMs), parsed: Math.min(best.parsed, parsedMs) };
    ratios.push(parsedMs / aloneMs);
  }
  ratios.sort((a, b) => a - b);
  return { ...best, medianRatio: ratios[Math.floor(ratios.length / 2)] ?? Number.NaN };
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
console.log(`corpus: ${sessions.length} sessions, ${(corpusBytes / 1024 / 1024).toFixed(2)} MB of output; CPU time, best of ${CORPUS_ROUNDS} rounds`);
const corpus = compare(
  CORPUS_ROUNDS,
  () => sessions.forEach((session) => xtermOnly(session.recording)),
  () => sessions.forEach((session) => parserRun(session.recording)),
);
console.log(`  @xterm/headless alone  ${mbPerSecond(corpusBytes, corpus.alone)}`);
console.log(`  parser                 ${mbPerSecond(corpusBytes, corpus.parsed)}`);
console.log(`  parser ÷ xterm alone   ${(corpus.parsed / corpus.alone).toFixed(2)}× (best times), ${corpus.medianRatio.toFixed(2)}× (median of rounds)  target ≤ 2×`);

const floods: [string, Uint8Array][] = [
  ["plain output lines", repeatTo("drwxr-xr-x  4 user staff   128 Nov 29 05:36 some-directory-name\r\n", FLOOD_BYTES)],
  ["coloured output (ls --color, grep)", repeatTo("\x1b[01;34msrc\x1b[0m  \x1b[01;32mbuild.sh\x1b[0m  README.md  \x1b[35mmain.ts\x1b[0m:\x1b[32m12\x1b[0m:  const \x1b[01;31mgamma\x1b[0m = 3;\r\n", FLOOD_BYTES)],
  ["one 10 MB line", repeatTo("x", FLOOD_BYTES)],
  ["binary junk", randomBytes(FLOOD_BYTES, 12345)],
  ["cursor up/down flood", repeatTo("\x1b[A\x1b[B", FLOOD_BYTES)],
  ["erase/home flood", repeatTo("\x1b[2J\x1b[Hab\x1b[K", FLOOD_BYTES)],
];
console.log(`\nfloods of ${FLOOD_BYTES / 1024 / 1024} MiB in ${FLOOD_CHUNK / 1024} KiB chunks; CPU time, best of ${FLOOD_ROUNDS} rounds`);
for (const [name, data] of floods) {
  const recording = flood(data);
  let stats = { cellsRead: 0, windowReads: 0 };
  const result = compare(
    FLOOD_ROUNDS,
    () => xtermOnly(recording),
    () => {
      const parser = new ClaudeTuiParser({ cols: FLOOD_COLS, rows: FLOOD_ROWS });
      replay(parser, recording);
      stats = parser.stats();
      parser.dispose();
    },
  );
  console.log(
    `${name.padEnd(36)} xterm alone ${mbPerSecond(data.length, result.alone).padStart(11)}   parser ${mbPerSecond(data.length, result.parsed).padStart(11)}   ${(result.parsed / result.alone).toFixed(2)}×   cells read per byte ${(stats.cellsRead / data.length).toFixed(3)}`,
  );
}

console.log("\nstrip-ANSI reader vs the screen-model parser, on the corpus:");
for (const version of [...new Set(sessions.map((session) => session.entry.version))]) {
  const stripped: Score[] = [];
  for (const session of sessions.filter((s) => s.entry.version === version)) stripped.push(score(stripAnsiReader(session.recording), session.truth.tools, session.truth.workspace));
  const sum = total(stripped);
  console.log(`  ${version}: strip-ANSI precision ${(precision(sum) * 100).toFixed(1)}%  recall ${(recall(sum) * 100).toFixed(1)}%`);
}
