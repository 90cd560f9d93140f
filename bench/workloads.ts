// The two workloads, written against `Terminal` only, so the baseline and the full stack run the very same code.
import { randomBytes } from "node:crypto";
import { open } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { sleep, type Terminal, waitForText } from "./terminal";

// --- keystroke echo ---

export interface EchoOptions {
  warmup: number;
  samples: number;
  /** Pause after each echo before the next key, in ms. */
  gapMs: number;
  /** Keys per line; then an untimed newline. */
  lineLength: number;
  /** Longest wait for one echo, in ms. */
  timeoutMs: number;
}

/** Turns the shell into `cat` (canonical mode: the kernel echoes every key at once) and checks that it runs. */
export async function startCat(terminal: Terminal, timeoutMs = 20_000): Promise<void> {
  terminal.send("exec cat\r");
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; Date.now() < deadline; attempt++) {
    const token = `ready${attempt}x${randomBytes(3).toString("hex")}`;
    // Under cat the line comes back twice (kernel echo, then cat); under bash it would be "command not found".
    const seen = waitForText(terminal, `${token}\r\n${token}\r\n`, 1500, "cat's copy of the probe line");
    terminal.send(`${token}\r`);
    try {
      await seen;
      return;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes("did not arrive")) throw error;
    }
  }
  throw new Error(`${terminal.label}: \`exec cat\` did not take over the PTY within ${timeoutMs} ms`);
}

/** Echo round trips in ms: one printable key at a time, timed until its echo arrives. Needs `startCat` first. */
export async function echoLatency(terminal: Terminal, options: EchoOptions): Promise<number[]> {
  const samples: number[] = [];
  let line = "";
  for (let i = 0; i < options.warmup + options.samples; i++) {
    if (line.length >= options.lineLength) {
      // Untimed: the kernel echoes CR LF, then cat writes the line back.
      const back = waitForText(terminal, `\n${line}\r\n`, options.timeoutMs, "cat's copy of the typed line");
      terminal.send("\r");
      await back;
      line = "";
      await sleep(options.gapMs);
    }
    const key = String.fromCharCode(0x61 + (i % 26));
    const elapsed = await echoOnce(terminal, key.charCodeAt(0), options.timeoutMs);
    if (i >= options.warmup) samples.push(elapsed);
    line += key;
    await sleep(options.gapMs);
  }
  // Leave the line empty for whoever comes next.
  terminal.send("\r");
  return samples;
}

function echoOnce(terminal: Terminal, byte: number, timeoutMs: number): Promise<number> {
  return new Promise((done, fail) => {
    let removeOutput = (): void => undefined;
    let removeFailure = (): void => undefined;
    const finish = (result: number | Error): void => {
      clearTimeout(timer);
      removeOutput();
      removeFailure();
      if (typeof result === "number") done(result);
      else fail(result);
    };
    const timer = setTimeout(
      () => finish(new Error(`${terminal.label}: the echo of ${JSON.stringify(String.fromCharCode(byte))} did not arrive within ${timeoutMs} ms`)),
      timeoutMs,
    );
    removeOutput = terminal.onOutput((chunk) => {
      const at = performance.now();
      if (chunk.includes(byte)) finish(at - sent);
    });
    removeFailure = terminal.onFailure((error) => finish(error));
    const sent = performance.now();
    terminal.send(new Uint8Array([byte]));
  });
}

// --- output throughput ---

export interface DataFile {
  path: string;
  bytes: number;
  lines: number;
}

/** Writes `lines` lines of `lineBytes` bytes (printable ASCII, varied, then LF) into `path`. */
export async function writeDataFile(path: string, lines: number, lineBytes: number): Promise<DataFile> {
  const handle = await open(path, "w");
  try {
    const linesPerBlock = 4096;
    let seed = 0x2545f491;
    for (let line = 0; line < lines; ) {
      const count = Math.min(linesPerBlock, lines - line);
      const block = Buffer.alloc(count * lineBytes);
      for (let l = 0; l < count; l++, line++) {
        const start = l * lineBytes;
        const number = String(line).padStart(8, "0");
        block.write(number, start, "latin1");
        block[start + 8] = 0x20;
        for (let c = 9; c < lineBytes - 1; c++) {
          seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
          block[start + c] = 0x21 + ((seed >>> 16) % 94); // '!'..'~'
        }
        block[start + lineBytes - 1] = 0x0a;
      }
      await handle.write(block);
    }
  } finally {
    await handle.close();
  }
  return { path, bytes: lines * lineBytes, lines };
}

export interface ThroughputRun {
  /** From sending the command until the last client saw the end marker, in ms. */
  ms: number;
  /** Per client: ms until its marker, output bytes between the command and the marker, frames that carried them. */
  clients: Array<{ ms: number; bytes: number; frames: number }>;
}

/** Makes every terminal catch up (replays, prompts) by printing a marker and waiting for it everywhere. */
export async function sync(terminals: Terminal[], timeoutMs: number): Promise<void> {
  const tag = randomBytes(4).toString("hex");
  const seen = terminals.map((terminal) => waitForText(terminal, `SYNC_${tag}`, timeoutMs, "the sync marker"));
  terminals[0]!.send(`printf '%s_%s\\n' SYNC ${tag}\r`);
  await Promise.all(seen);
  await sleep(150); // let the prompt that follows arrive too
}

/** `cat`s the data file in the PTY of `terminals[0]` and times until every terminal has the end marker. */
export async function catThroughput(terminals: Terminal[], file: DataFile, timeoutMs: number): Promise<ThroughputRun> {
  await sync(terminals, 30_000);
  const tag = randomBytes(4).toString("hex");
  // The echoed command line reads "END <tag>"; only printf's output has "END_<tag>".
  const marker = `END_${tag}`;
  const starts = terminals.map((terminal) => ({ received: terminal.received, frames: terminal.frames }));
  const framesAt: number[] = [];
  const seen = terminals.map((terminal, index) =>
    waitForText(terminal, marker, timeoutMs, `the end marker after ${file.bytes} bytes`).then((result) => {
      framesAt[index] = terminal.frames;
      return result;
    }),
  );
  const sent = performance.now();
  terminals[0]!.send(`cat ${file.path}; printf '%s_%s\\n' END ${tag}\r`);
  const results = await Promise.all(seen);
  const clients = results.map((result, index) => ({
    ms: result.at - sent,
    bytes: result.position - starts[index]!.received,
    frames: framesAt[index]! - starts[index]!.frames,
  }));
  // The PTY turns each LF into CR LF: every client must have had at least that much before the marker.
  const expected = file.bytes + file.lines;
  for (const [index, client] of clients.entries()) {
    if (client.bytes < expected) {
      throw new Error(`${terminals[index]!.label}: got ${client.bytes} bytes before the end marker, expected at least ${expected}`);
    }
  }
  return { ms: Math.max(...clients.map((client) => client.ms)), clients };
}
