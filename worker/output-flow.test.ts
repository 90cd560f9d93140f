// Flow control: a client gets at most a window beyond its acknowledgements, then resumes where it stopped.
import { describe, expect, it } from "vitest";
import { OutputFlows } from "./output-flow";

describe("OutputFlows", () => {
  it("stops sending a window past the last acknowledgement and resumes after half of it drained", () => {
    const flows = new OutputFlows(100);
    flows.opened("a", 0, 0);
    let offset = 0;
    const sent: number[] = [];
    for (let i = 0; i < 20; i++, offset += 10) if (flows.admit("a", offset, offset + 10)) sent.push(offset);
    expect(sent).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(flows.isPaused("a")).toBe(true);
    expect(flows.acknowledge("a", 40)).toBeNull(); // 60 unacknowledged: more than half the window
    expect(flows.admit("a", 200, 210)).toBe(false); // still paused
    expect(flows.acknowledge("a", 60)).toBe(100); // resume from what it has
    expect(flows.admit("a", 210, 220)).toBe(true);
  });

  it("never takes an acknowledgement beyond what was sent", () => {
    const flows = new OutputFlows(100);
    flows.opened("a", 0, 50);
    flows.acknowledge("a", 1e12);
    expect(flows.unacked("a")).toBe(0);
    flows.admit("a", 50, 60);
    expect(flows.unacked("a")).toBe(10);
  });

  it("keeps clients apart and starts counting for a client it does not know", () => {
    const flows = new OutputFlows(100);
    flows.opened("slow", 0, 0);
    for (let offset = 0; offset < 1000; offset += 10) {
      flows.admit("slow", offset, offset + 10);
      expect(flows.admit("fast", offset, offset + 10)).toBe(true);
      flows.acknowledge("fast", offset + 10);
    }
    expect(flows.isPaused("slow")).toBe(true);
    expect(flows.unacked("fast")).toBe(0);
    flows.closed("slow");
    expect(flows.isPaused("slow")).toBe(false);
  });

  it("says when every client that keeps up has room for more: none more than half a window behind", () => {
    const flows = new OutputFlows(100);
    flows.opened("a", 0, 0);
    flows.opened("b", 0, 0);
    expect(flows.allHaveRoom()).toBe(true);
    flows.admit("a", 0, 60);
    flows.admit("b", 0, 60);
    flows.acknowledge("a", 60);
    expect(flows.allHaveRoom()).toBe(false); // b is 60 behind
    flows.acknowledge("b", 20);
    expect(flows.allHaveRoom()).toBe(true);
    flows.admit("b", 60, 120); // 100 behind
    expect(flows.allHaveRoom()).toBe(false);
    expect(flows.allHaveRoom(Date.now() + 5000)).toBe(true); // it acknowledged nothing for long: stalled, left behind
    flows.admit("b", 120, 130); // a window behind: paused, left behind
    expect(flows.allHaveRoom()).toBe(true);
  });
});
