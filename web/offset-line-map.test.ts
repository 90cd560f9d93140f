import { describe, expect, it } from "vitest";
import { type LineHandle, OffsetLineMap } from "./offset-line-map";

/** A stand-in for an xterm marker: a line that tests can move or dispose. */
class FakeMarker implements LineHandle {
  disposed = false;
  constructor(public line: number) {}
  dispose(): void {
    this.disposed = true;
    this.line = -1;
  }
}

function recorder(map: OffsetLineMap<FakeMarker>, markers: FakeMarker[] = []) {
  return (start: number, end: number, line: number): void =>
    map.record(start, end, line, () => {
      const marker = new FakeMarker(line);
      markers.push(marker);
      return marker;
    });
}

describe("OffsetLineMap", () => {
  it("finds the line the cursor was on after the write that held an offset", () => {
    const map = new OffsetLineMap<FakeMarker>();
    const record = recorder(map);
    record(100, 150, 3);
    record(150, 200, 7);
    record(200, 260, 12);
    expect(map.lineAt(100)).toBe(3);
    expect(map.lineAt(149)).toBe(3);
    expect(map.lineAt(150)).toBe(7);
    expect(map.lineAt(259)).toBe(12);
    // Written but not recorded yet: the latest line is the best guess.
    expect(map.lineAt(400)).toBe(12);
    // Before the first byte this terminal drew.
    expect(map.lineAt(99)).toBeNull();
  });

  it("shares one checkpoint across writes that leave the cursor on the same line", () => {
    const map = new OffsetLineMap<FakeMarker>();
    const markers: FakeMarker[] = [];
    const record = recorder(map, markers);
    record(0, 10, 5);
    record(10, 20, 5);
    record(20, 30, 5);
    record(30, 40, 6);
    expect(markers).toHaveLength(2);
    expect(map.lineAt(25)).toBe(5);
    expect(map.lineAt(35)).toBe(6);
  });

  it("follows its markers as the buffer moves, and says null once a line was trimmed", () => {
    const map = new OffsetLineMap<FakeMarker>();
    const markers: FakeMarker[] = [];
    const record = recorder(map, markers);
    record(0, 10, 1);
    record(10, 20, 40);
    markers[1]!.line = 30; // ten lines trimmed from the top
    markers[0]!.dispose(); // and line 1 with them
    expect(map.lineAt(5)).toBeNull();
    expect(map.lineAt(15)).toBe(30);
  });

  it("stays bounded by thinning the older half, so old offsets map to a nearby later line", () => {
    const map = new OffsetLineMap<FakeMarker>(8);
    const markers: FakeMarker[] = [];
    const record = recorder(map, markers);
    for (let i = 0; i < 9; i++) record(i * 10, i * 10 + 10, i);
    expect(map.size).toBeLessThanOrEqual(8);
    expect(markers.filter((marker) => marker.disposed).length).toBe(9 - map.size);
    expect(map.lineAt(5)).toBe(1); // checkpoint 0 went; its bytes fall to checkpoint 1
    expect(map.lineAt(85)).toBe(8);
  });

  it("forgets everything on clear", () => {
    const map = new OffsetLineMap<FakeMarker>();
    const markers: FakeMarker[] = [];
    const record = recorder(map, markers);
    record(0, 10, 1);
    map.clear();
    expect(markers[0]!.disposed).toBe(true);
    expect(map.lineAt(5)).toBeNull();
    record(500, 510, 0);
    expect(map.lineAt(505)).toBe(0);
    expect(map.lineAt(5)).toBeNull();
  });
});
