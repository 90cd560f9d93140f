import { describe, expect, it } from "vitest";
import { turnNotice } from "./turn-notices";

describe("turnNotice", () => {
  it("tells when a working Claude becomes idle", () => {
    expect(turnNotice("busy", "idle")).toMatchObject({ kind: "finished", title: "Claude finished" });
  });

  it("tells when Claude asks for permission, naming what it wants to run", () => {
    expect(turnNotice("busy", "awaiting-permission", "rm -rf build")).toEqual({
      kind: "permission",
      title: "Claude needs your permission",
      body: "To run: rm -rf build",
    });
    expect(turnNotice("idle", "awaiting-permission")?.kind).toBe("permission");
  });

  it("stays quiet about the first state after connecting, repeats and other changes", () => {
    expect(turnNotice(null, "awaiting-permission")).toBeNull();
    expect(turnNotice(null, "idle")).toBeNull();
    expect(turnNotice("awaiting-permission", "awaiting-permission")).toBeNull();
    expect(turnNotice("starting", "idle")).toBeNull();
    expect(turnNotice("idle", "busy")).toBeNull();
    expect(turnNotice("awaiting-permission", "busy")).toBeNull();
  });
});
