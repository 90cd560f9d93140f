// Loads the recorded corpus (manifest, casts, truth files) and runs the parser over a session with a given chunking.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readCast, replay, type Recording } from "../../parsers/claude-tui/cast-replay";
import { ClaudeTuiParser } from "../../parsers/claude-tui/claude-tui-parser";
import type { ParserEvent, ToolRecord } from "../../parsers/claude-tui/events";
import type { ManifestEntry, TruthFile } from "./record";

/** The corpus manifest, next to the sessions it lists. */
export const MANIFEST = fileURLToPath(new URL("../corpus/manifest.json", import.meta.url));

export interface Session {
  entry: ManifestEntry;
  recording: Recording;
  truth: TruthFile;
}

export function loadManifest(file = MANIFEST): ManifestEntry[] {
  return JSON.parse(readFileSync(file, "utf8")) as ManifestEntry[];
}

export function loadSession(entry: ManifestEntry, manifest = MANIFEST): Session {
  const base = join(dirname(manifest), entry.session);
  return {
    entry,
    recording: readCast(readFileSync(`${base}.cast`, "utf8")),
    truth: JSON.parse(readFileSync(`${base}.truth.json`, "utf8")) as TruthFile,
  };
}

export interface ParseResult {
  records: ToolRecord[];
  events: ParserEvent[];
}

/** Replays a session through a fresh parser, cutting output with `split`. */
export function parseSession(session: Session, split?: (bytes: Uint8Array) => Uint8Array[]): ParseResult {
  const parser = new ClaudeTuiParser({ cols: session.recording.cols, rows: session.recording.rows });
  const events: ParserEvent[] = [];
  parser.onEvent((event) => events.push(event));
  replay(parser, session.recording, split);
  const records = parser.tools();
  parser.dispose();
  return { records, events };
}

/** A splitter into random chunks of 1..max bytes, from a seeded generator (reproducible). */
export function randomSplitter(seed: number, max: number): (bytes: Uint8Array) => Uint8Array[] {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  return (bytes) => {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; ) {
      const size = 1 + Math.floor(next() * max);
      chunks.push(bytes.subarray(i, i + size));
      i += size;
    }
    return chunks;
  };
}
