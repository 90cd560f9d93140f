// CLI: parses an asciinema v2 `.cast` (output events) or a raw PTY byte file and prints the final tool records as JSON.
// Usage: npm run -s parse -- FILE [--cols N --rows N] [--events]
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { isCast, rawRecording, readCast, replay } from "../parsers/claude-tui/cast-replay";
import { ClaudeTuiParser } from "../parsers/claude-tui/claude-tui-parser";
import type { ParserEvent } from "../parsers/claude-tui/events";

/** Size assumed for a raw byte file, in cells (a cast carries its own). */
const RAW_COLS = 100;
const RAW_ROWS = 30;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    cols: { type: "string" },
    rows: { type: "string" },
    events: { type: "boolean", default: false },
  },
});
const file = positionals[0];
if (!file) {
  process.stderr.write("usage: parse FILE [--cols N --rows N] [--events]\n");
  process.exit(2);
}
const bytes = new Uint8Array(await readFile(file));
const recording = isCast(bytes) ? readCast(new TextDecoder().decode(bytes)) : rawRecording(bytes, Number(values.cols ?? RAW_COLS), Number(values.rows ?? RAW_ROWS));
const parser = new ClaudeTuiParser({ cols: recording.cols, rows: recording.rows });
const events: ParserEvent[] = [];
if (values.events) parser.onEvent((event) => events.push(event));
replay(parser, recording);
process.stdout.write(`${JSON.stringify(values.events ? events : parser.tools(), null, 2)}\n`);
parser.dispose();
