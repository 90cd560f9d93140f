import { describe, expect, it } from "vitest";
import { OutputCursor } from "./output-cursor";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

describe("OutputCursor", () => {
  it("starts wherever the first frame starts and then expects contiguous bytes", () => {
    const cursor = new OutputCursor();
    expect(cursor.next).toBeNull();
    const first = cursor.accept(100, bytes("hello"));
    expect(first.deliver && text(first.data)).toBe("hello");
    expect(cursor.next).toBe(105);
    const second = cursor.accept(105, bytes(" world"));
    expect(second.deliver && text(second.data)).toBe(" world");
    expect(cursor.next).toBe(111);
  });

  it("drops frames and prefixes it already delivered (a replay overlapping a resume)", () => {
    const cursor = new OutputCursor();
    cursor.accept(0, bytes("abcdef"));
    expect(cursor.accept(0, bytes("abc")).deliver).toBe(false);
    expect(cursor.accept(2, bytes("cdef")).deliver).toBe(false);
    const overlap = cursor.accept(4, bytes("efgh"));
    expect(overlap.deliver && text(overlap.data)).toBe("gh");
    expect(cursor.next).toBe(8);
  });

  it("reports a gap but still delivers what arrived", () => {
    const cursor = new OutputCursor();
    cursor.accept(0, bytes("ab"));
    const gapped = cursor.accept(5, bytes("xy"));
    expect(gapped).toMatchObject({ deliver: true, gap: 3 });
    expect(cursor.next).toBe(7);
  });

  it("restarts at the offset a reset names", () => {
    const cursor = new OutputCursor();
    cursor.accept(0, bytes("old output"));
    cursor.restartAt(4000);
    const fresh = cursor.accept(4000, bytes("new"));
    expect(fresh.deliver && text(fresh.data)).toBe("new");
    expect(cursor.next).toBe(4003);
  });
});
