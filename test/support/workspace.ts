// Finds a session's workspace folder on disk through the local sandbox host, as Daytona's SDK sees the sandbox.
import { join } from "node:path";
import { Daytona } from "@daytonaio/sdk";
import type { Stack } from "../../scripts/stack";

export async function workspaceOf(stack: Stack, stateDir: string, sessionId: string): Promise<string> {
  const daytona = new Daytona({ apiKey: "local", apiUrl: stack.sandboxHost!.apiUrl });
  try {
    const sandbox = await daytona.get(`nightona-${sessionId}`);
    return join(stateDir, "sandboxes", sandbox.id, "workspace");
  } finally {
    await daytona[Symbol.asyncDispose]();
  }
}
