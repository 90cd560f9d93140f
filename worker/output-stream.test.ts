// A client the log has moved past: caught up from the sandbox's recording when that reproduces the stream, else reset.
import { describe, expect, it, vi } from "vitest";
import { decodeServerFrame } from "../parsers/protocol";
import { MemoryStorage } from "../test/support/memory-storage";
import { OutputStream, type ReadRecorded } from "./output-stream";

const LOG_BYTES = 64 * 1024; // the window is half of it
const CHUNK_BYTES = 4 * 1024;

/** A client that records what it is sent: the output bytes by offset, and the other messages. */
class RecordingClient {
  readonly outputs: { offset: number; data: Uint8Array }[] = [];
  readonly messages: { type: string }[] = [];
  constructor(readonly id: string) {}
  send(frame: string | Uint8Array): void {
    const decoded = decodeServerFrame(frame);
    if (decoded?.type === "output") this.outputs.push({ offset: decoded.offset, data: decoded.data });
    else if (decoded) this.messages.push(decoded);
  }
  get received(): number {
    const last = this.outputs.at(-1);
    return last ? last.offset + last.data.byteLength : 0;
  }
  /** Whether the output frames follow each other with no gap or overlap. */
  get contiguous(): boolean {
    return this.outputs.every((frame, i) => i === 0 || frame.offset === this.outputs[i - 1]!.offset + this.outputs[i - 1]!.data.byteLength);
  }
}

/** Output whose every byte tells where it is (so a misplaced byte shows). */
function streamBytes(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
}

/**
 * A stream with one client that stops acknowledging after joining, then `total` bytes of output: the client is
 * paused at a window, and the log has moved past it once `total` exceeds a window and a log.
 */
async function pausedClient(total: number, readRecorded: ReadRecorded, others: RecordingClient[] = []) {
  const client = new RecordingClient("slow");
  const clients = [client, ...others];
  const stream = await OutputStream.restore(new MemoryStorage(), {
    maxBytes: LOG_BYTES,
    size: { cols: 40, rows: 5 },
    clients: () => clients,
    readRecorded,
  });
  for (const each of clients) stream.join(each, null);
  const output = streamBytes(total);
  for (let at = 0; at < total; at += CHUNK_BYTES) {
    stream.append(output.slice(at, at + CHUNK_BYTES));
    await stream.flush(); // one frame per chunk, as output that trickles in
  }
  const stalledAt = client.received;
  expect(stalledAt).toBe(LOG_BYTES / 2);
  return { stream, client, output, stalledAt };
}

/** Acknowledges what the client has, as a client that reads along does, until it has `total` bytes. */
function readUntil(stream: OutputStream, client: RecordingClient, total: number): Promise<void> {
  return vi.waitFor(() => {
    stream.acknowledge(client, client.received);
    expect(client.received).toBe(total);
  });
}

describe("OutputStream, a client the log moved past", () => {
  it("is sent the missing bytes from the recording, then the log, with no reset", async () => {
    const reads: [number, number][] = [];
    let recorded: Uint8Array = new Uint8Array(0);
    const { stream, client, output, stalledAt } = await pausedClient(120 * 1024, (from, to) => {
      reads.push([from, to]);
      return Promise.resolve(recorded.slice(from, to));
    });
    recorded = output;
    stream.acknowledge(client, stalledAt);
    await vi.waitFor(() => expect(client.received).toBe(output.byteLength));

    expect(client.messages.filter((message) => message.type === "reset")).toHaveLength(0);
    expect(client.contiguous).toBe(true);
    expect(Buffer.concat(client.outputs.map((frame) => frame.data)).equals(Buffer.from(output))).toBe(true);
    // From where it stopped to the log's start, plus the log's first bytes to check that the recording lines up.
    const logStart = output.byteLength - LOG_BYTES;
    expect(reads).toEqual([[stalledAt, logStart + 1024]]);
  });

  it("shares one read among clients that stopped at the same place", async () => {
    const reads: [number, number][] = [];
    const other = new RecordingClient("also-slow");
    const { stream, client, output, stalledAt } = await pausedClient(
      120 * 1024,
      (from, to) => {
        reads.push([from, to]);
        return Promise.resolve(streamBytes(to).slice(from, to));
      },
      [other],
    );
    stream.acknowledge(client, stalledAt);
    stream.acknowledge(other, stalledAt);
    await vi.waitFor(() => expect([client.received, other.received]).toEqual([output.byteLength, output.byteLength]));

    expect(reads).toHaveLength(1);
    for (const each of [client, other]) {
      expect(each.messages.filter((message) => message.type === "reset")).toHaveLength(0);
      expect(Buffer.concat(each.outputs.map((frame) => frame.data)).equals(Buffer.from(output))).toBe(true);
    }
  });

  it("reads on from where a piece ended when the log moved on while the piece was read", async () => {
    const reads: [number, number][] = [];
    const more = streamBytes(160 * 1024).subarray(120 * 1024); // the output goes on where the first part stopped
    const whole = streamBytes(160 * 1024);
    let streamRef: OutputStream | null = null;
    const { stream, client, stalledAt } = await pausedClient(120 * 1024, async (from, to) => {
      reads.push([from, to]);
      if (reads.length === 1) for (let at = 0; at < more.byteLength; at += CHUNK_BYTES) streamRef!.append(more.slice(at, at + CHUNK_BYTES));
      return whole.slice(from, to);
    });
    streamRef = stream;
    stream.acknowledge(client, stalledAt);
    await readUntil(stream, client, whole.byteLength); // the second piece waits for the first's acknowledgement

    expect(reads).toHaveLength(2);
    expect(reads[1]![0]).toBe(120 * 1024 - LOG_BYTES); // the first piece ended at the log's start of the time
    expect(client.messages.filter((message) => message.type === "reset")).toHaveLength(0);
    expect(client.contiguous).toBe(true);
    expect(Buffer.concat(client.outputs.map((frame) => frame.data)).equals(Buffer.from(whole))).toBe(true);
  });

  it("gets a reset, and none of the recording's bytes, when the recording does not reproduce the log", async () => {
    const { stream, client, output, stalledAt } = await pausedClient(120 * 1024, (from, to) => {
      const elsewhere = streamBytes(to + 10).subarray(10); // the same kind of bytes, shifted: a file that moved
      return Promise.resolve(elsewhere.slice(from, to));
    });
    stream.acknowledge(client, stalledAt);
    await vi.waitFor(() => expect(client.received).toBe(output.byteLength));

    const reset = client.messages.find((message) => message.type === "reset") as { offset: number } | undefined;
    expect(reset?.offset).toBe(output.byteLength - LOG_BYTES);
    expect(client.outputs.filter((frame) => frame.offset >= stalledAt)[0]!.offset).toBe(reset!.offset);
  });

  it("gets a reset when the recording cannot be read, or when none is at hand", async () => {
    for (const readRecorded of [() => Promise.reject(new Error("the sandbox is gone")), () => null]) {
      const { stream, client, output, stalledAt } = await pausedClient(120 * 1024, readRecorded);
      stream.acknowledge(client, stalledAt);
      await vi.waitFor(() => expect(client.received).toBe(output.byteLength));
      expect(client.messages.filter((message) => message.type === "reset")).toHaveLength(1);
    }
  });

  it("gets a reset without asking the recording when it is more than a log behind the log", async () => {
    const reads: number[] = [];
    const { stream, client, output, stalledAt } = await pausedClient(LOG_BYTES / 2 + 2 * LOG_BYTES + CHUNK_BYTES, (from) => {
      reads.push(from);
      return null;
    });
    stream.acknowledge(client, stalledAt);
    expect(reads).toEqual([]);
    expect(client.messages.filter((message) => message.type === "reset")).toHaveLength(1);
    expect(client.received).toBe(output.byteLength);
  });
});

describe("OutputStream, a catch-up from the recording", () => {
  it("sends a window at a time, and the rest as the client acknowledges", async () => {
    const MiB = 1024 * 1024;
    const logBytes = 4 * MiB; // the window is half of it
    const client = new RecordingClient("slow");
    const output = streamBytes(9 * MiB);
    const stream = await OutputStream.restore(new MemoryStorage(), {
      maxBytes: logBytes,
      size: { cols: 40, rows: 5 },
      clients: () => [client],
      readRecorded: (from, to) => Promise.resolve(output.slice(from, to)),
    });
    stream.join(client, null);
    for (let at = 0; at < output.byteLength; at += 64 * 1024) {
      stream.append(output.slice(at, at + 64 * 1024));
      await stream.flush();
    }
    expect(client.received).toBe(2 * MiB); // a window, then paused; the log now starts at 5 MiB

    stream.acknowledge(client, client.received);
    await vi.waitFor(() => expect(client.received).toBe(4 * MiB)); // a window of the recording's 3 MiB
    await new Promise((done) => setTimeout(done, 20));
    expect(client.received).toBe(4 * MiB);

    while (client.received < output.byteLength) {
      const acked = client.received;
      stream.acknowledge(client, acked);
      await vi.waitFor(() => expect(client.received).toBeGreaterThan(acked));
      expect(client.received - acked).toBeLessThanOrEqual(2 * MiB); // never more than a window ahead
    }
    expect(client.contiguous).toBe(true);
    expect(Buffer.concat(client.outputs.map((frame) => frame.data)).equals(Buffer.from(output))).toBe(true);
    expect(client.messages).toEqual([]);
  });
});

describe("OutputStream, a replay", () => {
  it("sends a window of the log, and the rest as the client acknowledges", async () => {
    const logBytes = 4 * 1024 * 1024; // the window is half of it
    const client = new RecordingClient("late");
    const clients: RecordingClient[] = [];
    const stream = await OutputStream.restore(new MemoryStorage(), { maxBytes: logBytes, size: { cols: 40, rows: 5 }, clients: () => clients });
    const output = streamBytes(3 * 1024 * 1024);
    for (let at = 0; at < output.byteLength; at += 64 * 1024) stream.append(output.slice(at, at + 64 * 1024));
    await stream.flush();

    clients.push(client);
    stream.join(client, 0);
    expect(client.received).toBe(logBytes / 2);
    stream.append(streamBytes(3 * 1024 * 1024 + 100).subarray(3 * 1024 * 1024)); // live output waits behind the replay
    await stream.flush();
    expect(client.received).toBe(logBytes / 2);

    stream.acknowledge(client, client.received);
    expect(client.received).toBe(output.byteLength + 100);
    expect(client.contiguous).toBe(true);
    expect(client.messages).toEqual([]);
  });
});
