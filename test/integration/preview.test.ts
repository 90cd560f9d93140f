// A new session's app preview through the whole stack: the Worker's preview route hands out the sandbox host's preview
// URL, which serves the template app from the sandbox's own dev server.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Preview } from "../../snapshot/preview";
import { type Stack, startStack } from "../../scripts/stack";
import { APP_HEADING, APP_MODULE } from "../fixtures/scripts";
import { attach, createSession } from "../support/stack-client";
import { workspaceOf } from "../support/workspace";

/** How long the sandbox's dev server may take to answer, in ms. */
const READY_MS = 60_000;

let stack: Stack;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "nightona-preview-stack-"));
  stack = await startStack({ stateDir });
});

afterAll(async () => {
  await stack?.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function getPreview(id: string, token: string): Promise<Preview> {
  const response = await fetch(`${stack.url}/api/sessions/${id}/preview`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Preview;
}

describe("a session's app preview", () => {
  it("serves the new session's template app at the URL the preview route gives a viewer", async () => {
    const session = await createSession(stack.url, { command: "bash" });
    const writer = await attach(stack.url, session.id, session.tokens.write);
    await writer.waitForRunning();

    let preview = await getPreview(session.id, session.tokens.read);
    const deadline = Date.now() + READY_MS;
    while (preview.state !== "ready" && Date.now() < deadline) {
      expect(["not-listening", "stopped"]).toContain(preview.state);
      await new Promise((done) => setTimeout(done, 250));
      preview = await getPreview(session.id, session.tokens.read);
    }
    expect(preview.state).toBe("ready");
    expect(preview.url).toMatch(new RegExp(`^${stack.sandboxHost!.url}/preview/[0-9a-f-]{36}/3000/$`));

    const page = await fetch(preview.url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"></div>');
    const module = await fetch(`${preview.url}${APP_MODULE}`);
    expect(await module.text()).toContain(APP_HEADING);
    // It is this session's workspace that the preview serves.
    const workspace = await workspaceOf(stack, stateDir, session.id);
    expect(await readFile(join(workspace, APP_MODULE), "utf8")).toContain(APP_HEADING);
    writer.socket.close();
  });
});
