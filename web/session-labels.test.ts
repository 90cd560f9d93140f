import { describe, expect, it } from "vitest";
import { serverErrorNotice } from "./session-labels";

describe("serverErrorNotice", () => {
  it("explains dropped input when typing too fast", () => {
    expect(serverErrorNotice("rate_limited", "input dropped: more than 1 MiB/s; slow down")).toBe(
      "Typing too fast — some input was dropped",
    );
  });

  it("leaves a revoked link to the fatal overlay", () => {
    expect(serverErrorNotice("unauthorized", "this link was revoked")).toBeNull();
  });

  it("shows other refusals as the server words them", () => {
    expect(serverErrorNotice("not_ready", "input dropped: the terminal is not ready yet")).toBe(
      "Input dropped: the terminal is not ready yet",
    );
  });
});
