// The bounded, offset-addressed output log.
import { describe, expect, it } from "vitest";
import { OutputLog } from "./output-log";

const text = (chunks: Iterable<{ data: Uint8Array }>): string =>
  [...chunks].map((chunk) => new TextDecoder().decode(chunk.data)).join("");
const bytes = (value: string): Uint8Array => new TextEncoder().encode(value);

describe("OutputLog", () => {
  it("gives each append the offset of its first byte", () => {
    const log = new OutputLog(100);
    expect(log.append(bytes("abc"))).toBe(0);
    expect(log.append(bytes(""))).toBe(3);
    expect(log.append(bytes("de"))).toBe(3);
    expect(log.end).toBe(5);
    expect(text(log.since(0))).toBe("abcde");
    expect(text(log.since(2))).toBe("cde");
    expect([...log.since(4)]).toEqual([{ offset: 4, data: bytes("e") }]);
    expect([...log.since(5)]).toEqual([]);
  });

  it("stays within its bound, dropping the oldest chunks", () => {
    const log = new OutputLog(10);
    for (let i = 0; i < 10; i++) log.append(bytes(`${i}${i}${i}`));
    expect(log.end).toBe(30);
    expect(log.start).toBe(21);
    expect(text(log.since(0))).toBe("777888999");
    expect(log.has(20)).toBe(false);
    expect(log.has(21)).toBe(true);
    expect(log.has(30)).toBe(true);
    expect(log.has(31)).toBe(false);
  });

  it("cuts a lone chunk larger than the bound", () => {
    const log = new OutputLog(4);
    log.append(bytes("0123456789"));
    expect(log.start).toBe(6);
    expect(text(log.since(0))).toBe("6789");
  });

  it("keeps bounded memory over many small appends", () => {
    const log = new OutputLog(1000);
    for (let i = 0; i < 100_000; i++) log.append(bytes("x"));
    expect(log.end).toBe(100_000);
    expect(log.end - log.start).toBe(1000);
    expect(text(log.since(0))).toHaveLength(1000);
  });

  it("joins neighbouring chunks into frames of a bounded size", () => {
    const log = new OutputLog(1000);
    for (const piece of ["ab", "cd", "ef", "gh"]) log.append(bytes(piece));
    const joined = [...log.joined(1, 4)];
    expect(joined.map((chunk) => [chunk.offset, new TextDecoder().decode(chunk.data)])).toEqual([
      [1, "bcd"],
      [4, "efgh"],
    ]);
  });

  it("can start at an offset other than zero", () => {
    const log = new OutputLog(10, 500);
    expect(log.start).toBe(500);
    expect(log.append(bytes("x"))).toBe(500);
  });
});
