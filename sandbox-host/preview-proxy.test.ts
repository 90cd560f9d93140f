// The preview route of a real local sandbox host: the template app's Vite dev server over HTTP and its HMR WebSocket.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Daytona, type Sandbox } from "@daytonaio/sdk";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PREVIEW_PORT, UNAVAILABLE_HEADER } from "../snapshot/preview";
import { startSandboxHost, type SandboxHost } from "./server";

/** How long the dev server may take to answer after a sandbox starts, in ms. */
const DEV_SERVER_READY_MS = 30_000;
const POLL_MS = 100;
const TEMPLATE_HEADING = "Hello from your sandbox";

let dataDir: string;
let host: SandboxHost;
let daytona: Daytona;
let sandbox: Sandbox;
let previewUrl: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "nightona-preview-test-"));
  host = await startSandboxHost({ port: 0, dataDir });
  daytona = new Daytona({ apiKey: "local", apiUrl: host.apiUrl, target: "local", useDeprecatedPolling: true });
  sandbox = await daytona.create({ name: "preview-test" });
  previewUrl = (await sandbox.getSignedPreviewUrl(PREVIEW_PORT, 600)).url;
});

afterAll(async () => {
  await daytona?.[Symbol.asyncDispose]();
  await host?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Fetches `url` until the dev server (not the host's own error page) answers. */
async function fetchApp(url: string): Promise<Response> {
  const deadline = Date.now() + DEV_SERVER_READY_MS;
  for (;;) {
    const response = await fetch(url);
    if (!response.headers.has(UNAVAILABLE_HEADER)) return response;
    await response.body?.cancel();
    if (Date.now() > deadline) throw new Error(`${url} still answers ${response.status} after ${DEV_SERVER_READY_MS} ms`);
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}

function workspace(): string {
  return join(dataDir, sandbox.id, "workspace");
}

describe("the local preview route", () => {
  it("serves a new sandbox's template app from its own dev server", async () => {
    expect(previewUrl).toBe(`${host.url}/preview/${sandbox.id}/${PREVIEW_PORT}/`);
    const page = await fetchApp(previewUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="app"></div>');
    // Vite serves the app under the route's path, so its own URLs stay on the route.
    expect(html).toContain(`/preview/${sandbox.id}/${PREVIEW_PORT}/@vite/client`);
    const main = await fetchApp(`${previewUrl}src/main.js`);
    expect(main.status).toBe(200);
    expect(await main.text()).toContain(TEMPLATE_HEADING);
    expect(await readFile(join(workspace(), "src/main.js"), "utf8")).toContain(TEMPLATE_HEADING);
  });

  it("carries Vite's HMR WebSocket: an edit in the workspace reaches the client as an update", async () => {
    const client = await (await fetchApp(`${previewUrl}@vite/client`)).text();
    const token = /const wsToken = "([^"]+)"/.exec(client)?.[1];
    expect(token).toBeTruthy();
    const socket = new WebSocket(`${previewUrl.replace(/^http/, "ws")}?token=${token}`, "vite-hmr");
    const messages: { type: string; updates?: { path: string }[] }[] = [];
    socket.on("message", (data) => messages.push(JSON.parse(String(data)) as (typeof messages)[number]));
    await new Promise<void>((done, fail) => {
      socket.once("open", () => done());
      socket.once("error", fail);
    });
    try {
      await until(() => messages.some((message) => message.type === "connected"), "the connected message");
      // Vite only pushes updates for modules a client has loaded.
      await (await fetchApp(`${previewUrl}src/main.js`)).text();
      const file = join(workspace(), "src/main.js");
      await writeFile(file, (await readFile(file, "utf8")).replace(TEMPLATE_HEADING, "Edited through HMR"));
      await until(
        () => messages.some((message) => message.type === "update" && message.updates?.some((update) => update.path.endsWith("/src/main.js"))),
        "an update for src/main.js",
      );
      expect(await (await fetchApp(`${previewUrl}src/main.js`)).text()).toContain("Edited through HMR");
    } finally {
      socket.close();
    }
  });

  it("redirects the bare port path and says plainly when nothing serves a port", async () => {
    const bare = await fetch(previewUrl.slice(0, -1) + "?x=1", { redirect: "manual" });
    expect(bare.status).toBe(308);
    expect(bare.headers.get("location")).toBe(`/preview/${sandbox.id}/${PREVIEW_PORT}/?x=1`);
    const other = await fetch(`${host.url}/preview/${sandbox.id}/5173/`);
    expect(other.status).toBe(502);
    expect(other.headers.get(UNAVAILABLE_HEADER)).toBe("unavailable");
    expect(await other.text()).toContain("Nothing is listening on port 5173 yet");
    const unknown = await fetch(`${host.url}/preview/no-such-sandbox/${PREVIEW_PORT}/`);
    expect(unknown.status).toBe(404);
  });

  it("stops the dev server with the sandbox and runs it again on start", async () => {
    await sandbox.stop();
    const stopped = await fetch(previewUrl);
    expect(stopped.status).toBe(502);
    expect(await stopped.text()).toContain("The sandbox is stopped");
    await sandbox.start();
    const page = await fetchApp(previewUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"></div>');
  });
});

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}
