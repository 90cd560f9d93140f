// Round trips and refusals of the wire protocol codec.
import { describe, expect, it } from "vitest";
import {
  decodeClientFrame,
  decodeServerFrame,
  encodeInput,
  encodeMessage,
  encodeOutput,
  FrameTag,
  Limits,
  type ServerMessage,
} from "./protocol";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe("output frames", () => {
  it.each([0, 1, 255, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 12345, Number.MAX_SAFE_INTEGER])("carry offset %d exactly", (offset) => {
    const frame = encodeOutput(offset, bytes("hé\x1b[0m"));
    expect(frame[0]).toBe(FrameTag.output);
    expect(decodeServerFrame(frame)).toEqual({ type: "output", offset, data: bytes("hé\x1b[0m") });
  });

  it("decode from an ArrayBuffer and from a view into a larger buffer", () => {
    const frame = encodeOutput(7, bytes("abc"));
    const padded = new Uint8Array(frame.byteLength + 4);
    padded.set(frame, 2);
    expect(decodeServerFrame(frame.slice().buffer)).toMatchObject({ offset: 7, data: bytes("abc") });
    expect(decodeServerFrame(padded.subarray(2, 2 + frame.byteLength))).toMatchObject({ offset: 7, data: bytes("abc") });
  });

  it("join chunks in order, as one piece of the same bytes would be", () => {
    const chunks = [bytes("hé"), new Uint8Array(), bytes("\x1b[0m"), bytes("!")];
    expect(encodeOutput(42, chunks)).toEqual(encodeOutput(42, bytes("hé\x1b[0m!")));
  });

  it("are little-endian on the wire", () => {
    expect([...encodeOutput(0x0102, new Uint8Array()).subarray(1, 9)]).toEqual([2, 1, 0, 0, 0, 0, 0, 0]);
  });
});

describe("server messages", () => {
  const messages: ServerMessage[] = [
    { type: "hello", version: 1, role: "writer", clientId: "c1", offset: 42, cols: 80, rows: 24, status: { phase: "running" } },
    { type: "presence", clients: [{ id: "c1", role: "owner", name: "Ada", color: "#82aaff" }], lastInput: "c1" },
    { type: "status", phase: "exited", exitCode: 3, message: "Exited with code 3" },
    { type: "reset", offset: 1024, screen: "\x1b[1mhi\x1b[0m", cols: 80, rows: 24 },
    { type: "resize", cols: 100, rows: 30 },
    { type: "error", code: "read_only", message: "no" },
  ];
  it.each(messages)("round-trip: $type", (message) => {
    expect(decodeServerFrame(encodeMessage(message))).toEqual(message);
  });

  it("decode unknown binary tags to null so clients can skip them", () => {
    expect(decodeServerFrame(new Uint8Array([0x09, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
    expect(decodeServerFrame(new Uint8Array([FrameTag.output, 1]))).toBeNull();
  });
});

describe("client frames", () => {
  it("decode input bytes after the tag", () => {
    expect(decodeClientFrame(encodeInput(bytes("\x03")))).toEqual({ ok: true, value: { type: "input", data: bytes("\x03") } });
  });

  it("decode a valid resize", () => {
    expect(decodeClientFrame(encodeMessage({ type: "resize", cols: 120, rows: 40 }))).toEqual({
      ok: true,
      value: { type: "resize", cols: 120, rows: 40 },
    });
  });

  it("decode ack and restart, and refuse an ack without a whole, non-negative offset", () => {
    expect(decodeClientFrame(encodeMessage({ type: "ack", offset: 2 ** 40 }))).toEqual({ ok: true, value: { type: "ack", offset: 2 ** 40 } });
    expect(decodeClientFrame(encodeMessage({ type: "restart" }))).toEqual({ ok: true, value: { type: "restart" } });
    for (const offset of [-1, 1.5, "10", null, 2 ** 60]) {
      expect(decodeClientFrame(JSON.stringify({ type: "ack", offset }))).toMatchObject({ ok: false, code: "bad_request" });
    }
  });

  it.each([
    ["empty binary", new Uint8Array(), "bad_request"],
    ["output tag from a client", encodeOutput(0, bytes("x")), "bad_request"],
    ["oversize input", new Uint8Array(Limits.maxInputFrameBytes + 1).fill(FrameTag.input), "too_large"],
    ["invalid JSON", "{", "bad_request"],
    ["JSON array", "[]", "bad_request"],
    ["JSON null", "null", "bad_request"],
    ["missing type", "{}", "bad_request"],
    ["unknown type", '{"type":"nope"}', "bad_request"],
    ["resize 0 cols", '{"type":"resize","cols":0,"rows":24}', "bad_request"],
    ["resize 100000 cols", '{"type":"resize","cols":100000,"rows":24}', "bad_request"],
    ["resize NaN-ish", '{"type":"resize","cols":"80","rows":24}', "bad_request"],
    ["resize fraction", '{"type":"resize","cols":80.5,"rows":24}', "bad_request"],
    ["resize rows missing", '{"type":"resize","cols":80}', "bad_request"],
    ["oversize text", JSON.stringify({ type: "resize", pad: "é".repeat(Limits.maxTextFrameBytes / 2) }), "too_large"],
  ] as const)("refuse %s", (_name, frame, code) => {
    const decoded = decodeClientFrame(frame);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.code).toBe(code);
  });

  it("keep a full-size input frame", () => {
    const frame = new Uint8Array(Limits.maxInputFrameBytes).fill(0x61);
    frame[0] = FrameTag.input;
    const decoded = decodeClientFrame(frame);
    expect(decoded.ok && decoded.value.type === "input" && decoded.value.data.byteLength).toBe(Limits.maxInputFrameBytes - 1);
  });
});
