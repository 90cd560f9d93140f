// Reads an asciicast v2 recording (or raw bytes) into timed output chunks and replays them into a parser, flushing where output paused.
import type { ClaudeTuiParser } from "./claude-tui-parser";

/** Output bytes at a time, or a terminal resize. */
export type CastEvent = { time: number; kind: "output"; bytes: Uint8Array } | { time: number; kind: "resize"; cols: number; rows: number };

export interface Recording {
  cols: number;
  rows: number;
  events: CastEvent[];
}

/** Output gaps at least this long flush the parser, as a live session's idle timer would, in seconds. */
export const IDLE_GAP_SECONDS = 0.05;

/** Parses asciicast v2 text: the header line, then `[time, "o" | "r", data]` lines; other events are skipped. */
export function readCast(text: string): Recording {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const header: unknown = JSON.parse(lines[0] ?? "{}");
  const cols = isRecord(header) && typeof header.width === "number" ? header.width : 80;
  const rows = isRecord(header) && typeof header.height === "number" ? header.height : 24;
  const events: CastEvent[] = [];
  for (const line of lines.slice(1)) {
    const event: unknown = JSON.parse(line);
    if (!Array.isArray(event) || typeof event[0] !== "number" || typeof event[2] !== "string") continue;
    if (event[1] === "o") events.push({ time: event[0], kind: "output", bytes: utf8(event[2]) });
    const size = event[1] === "r" ? /^(\d+)x(\d+)$/u.exec(event[2]) : null;
    if (size) events.push({ time: event[0], kind: "resize", cols: Number(size[1]), rows: Number(size[2]) });
  }
  return { cols, rows, events };
}

/** A raw byte file as one recording without timing. */
export function rawRecording(bytes: Uint8Array, cols: number, rows: number): Recording {
  return { cols, rows, events: [{ time: 0, kind: "output", bytes }] };
}

/** Whether the file looks like asciicast v2 (a JSON header line with `"version": 2`). */
export function isCast(bytes: Uint8Array): boolean {
  const head = String.fromCharCode(...bytes.subarray(0, Math.min(bytes.length, 200)));
  return /^\s*\{[^\n]*"version"\s*:\s*2/u.test(head);
}

/**
 * Feeds a recording into `parser`. `split` cuts each output event into chunks (default: whole events); flushes
 * happen at output pauses of IDLE_GAP_SECONDS and at the end, so the result does not depend on the cuts.
 */
export function replay(parser: ClaudeTuiParser, recording: Recording, split: (bytes: Uint8Array) => Uint8Array[] = (bytes) => [bytes]): void {
  let offset = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (const event of recording.events) {
    if (event.time - last >= IDLE_GAP_SECONDS) parser.flush();
    last = event.time;
    if (event.kind === "resize") {
      parser.resize(event.cols, event.rows);
      continue;
    }
    for (const chunk of split(event.bytes)) {
      parser.write(chunk, offset);
      offset += chunk.length;
    }
  }
  parser.flush();
}

/** UTF-8 bytes of a string (the parser's ES-only runtime has no TextEncoder). */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return Uint8Array.from(out);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
