// The steps a new session goes through (sandbox, terminal, the program), and where it is now, from its status and Claude's state.
import type { ClaudeState, SessionStatus } from "../parsers/protocol";

export type StepState = "done" | "active" | "pending" | "failed";

export interface ProvisioningStep {
  id: "sandbox" | "terminal" | "program";
  label: string;
  state: StepState;
  /** What the step is doing now (the room's progress message), while active or failed. */
  detail?: string;
}

const ORDER = ["sandbox", "terminal", "program"] as const;
/** How many steps there are; `activeStep` returns it once all are done. */
export const STEP_COUNT = ORDER.length;

/**
 * Three steps: the sandbox (found, created or started), its terminal (PTY opened), and the program ready (Claude
 * showing its prompt; any other program once it runs). A status of `error` does not say which step failed:
 * `reached` is the furthest step seen active before it (see `activeStep`), and that one is marked failed.
 */
export function provisioningSteps(
  status: SessionStatus | null,
  claude: ClaudeState | null,
  program: string,
  reached = 0,
): ProvisioningStep[] {
  const current = activeStep(status, claude, program);
  const labels = { sandbox: "Sandbox", terminal: "Terminal", program: program === "Claude" ? "Claude Code" : program };
  return ORDER.map((id, index): ProvisioningStep => {
    let state: StepState;
    if (current === -1) state = index < reached ? "done" : index === reached ? "failed" : "pending";
    else state = index < current ? "done" : index === current ? "active" : "pending";
    const step: ProvisioningStep = { id, label: labels[id], state };
    if ((state === "active" || state === "failed") && status?.message) step.detail = status.message;
    return step;
  });
}

/** Index of the step under way (3 once all are done), or -1 after an error. */
export function activeStep(status: SessionStatus | null, claude: ClaudeState | null, program: string): number {
  const phase = status?.phase ?? "provisioning";
  const programReady = program === "Claude" ? claude !== null && claude !== "starting" : true;
  let current: number;
  switch (phase) {
    case "provisioning":
      current = 0;
      break;
    case "connecting":
      current = 1;
      break;
    case "running":
      current = programReady ? ORDER.length : 2;
      break;
    case "exited":
    case "disconnected":
    case "asleep":
      current = ORDER.length;
      break;
    case "error":
      current = -1;
      break;
    default:
      phase satisfies never;
      current = 0;
  }
  return current;
}

/** Whether every step is done. */
export function provisioned(steps: readonly ProvisioningStep[]): boolean {
  return steps.every((step) => step.state === "done");
}
