import { describe, expect, it } from "vitest";
import { activeStep, provisioned, provisioningSteps } from "./provisioning-steps";

const states = (steps: ReturnType<typeof provisioningSteps>): string[] => steps.map((step) => `${step.id}:${step.state}`);

describe("provisioningSteps", () => {
  it("walks sandbox, terminal, Claude with the room's progress message on the active step", () => {
    const creating = provisioningSteps({ phase: "provisioning", message: "Creating sandbox" }, null, "Claude");
    expect(states(creating)).toEqual(["sandbox:active", "terminal:pending", "program:pending"]);
    expect(creating[0]!.detail).toBe("Creating sandbox");
    const opening = provisioningSteps({ phase: "connecting", message: "Opening terminal" }, null, "Claude");
    expect(states(opening)).toEqual(["sandbox:done", "terminal:active", "program:pending"]);
    expect(opening[2]!.label).toBe("Claude Code");
  });

  it("waits for Claude's prompt before the last step is done", () => {
    expect(states(provisioningSteps({ phase: "running" }, "starting", "Claude"))).toEqual([
      "sandbox:done",
      "terminal:done",
      "program:active",
    ]);
    expect(provisioned(provisioningSteps({ phase: "running" }, "idle", "Claude"))).toBe(true);
  });

  it("is done as soon as another program runs", () => {
    const steps = provisioningSteps({ phase: "running" }, "starting", "bash");
    expect(provisioned(steps)).toBe(true);
    expect(steps[2]!.label).toBe("bash");
  });

  it("marks the step that was under way as failed", () => {
    const reached = activeStep({ phase: "connecting" }, null, "Claude");
    const steps = provisioningSteps({ phase: "error", message: "Could not open the sandbox terminal" }, null, "Claude", reached);
    expect(states(steps)).toEqual(["sandbox:done", "terminal:failed", "program:pending"]);
    expect(steps[1]!.detail).toBe("Could not open the sandbox terminal");
  });
});
