// A ten-line probe relay for workerd, with none of Nightona's code: it passes raw frames between a client and the
// ws URL in `?upstream=` (the baseline relay). `?mode=worker` relays in the stateless Worker, `?mode=do` in a Durable
// Object with `accept()`, `?mode=hibernate` in a Durable Object with the hibernation API (as the SessionRoom).
// Used by bench/probe-workerd.ts and bench/diagnose.ts to tell the runtime's cost from Nightona's.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort, REPO_ROOT, stopProcessGroup, wranglerEnv } from "../scripts/stack";
import { sleep } from "./terminal";

export const COMPATIBILITY_DATE = "2026-10-20";

/** The probe: relays raw frames between the client and `?upstream=` (ws URL); `?mode=` worker | do | hibernate. */
export const PROBE_SCRIPT = `
import { DurableObject } from "cloudflare:workers";

function relay(server, upstreamUrl, acceptClient) {
  const upstream = new WebSocket(upstreamUrl);
  upstream.binaryType = "arraybuffer";
  const queue = [];
  upstream.addEventListener("open", () => { for (const data of queue) upstream.send(data); queue.length = 0; });
  upstream.addEventListener("close", () => { try { server.close(1000); } catch {} });
  const toUpstream = (data) => (upstream.readyState === 1 ? upstream.send(data) : queue.push(data));
  acceptClient(toUpstream);
  upstream.addEventListener("message", (event) => server.send(event.data));
  return toUpstream;
}

function plain(url) {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.binaryType = "arraybuffer";
  relay(server, url.searchParams.get("upstream"), (toUpstream) =>
    server.addEventListener("message", (event) => toUpstream(event.data)));
  return new Response(null, { status: 101, webSocket: client });
}

export class Relay extends DurableObject {
  fetch(request) {
    const url = new URL(request.url);
    if (url.searchParams.get("mode") !== "hibernate") return plain(url);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    this.toUpstream = relay(server, url.searchParams.get("upstream"), () => {});
    return new Response(null, { status: 101, webSocket: client });
  }
  webSocketMessage(_ws, message) { this.toUpstream?.(message); }
}

export default {
  fetch(request, env) {
    const url = new URL(request.url);
    if (request.headers.get("upgrade") !== "websocket") return new Response("probe ok");
    if (url.searchParams.get("mode") === "worker") return plain(url);
    return env.RELAY.get(env.RELAY.idFromName(url.searchParams.get("name") ?? "probe")).fetch(request);
  },
};
`;

export interface ProbeOptions {
  compatibilityFlags?: string[];
  /** SQLite-backed Durable Object, as the product (default), or KV-backed. */
  sqlite?: boolean;
  /** Keep wrangler's local observability on (its default; the product's stack turns it off). */
  localObservability?: boolean;
}

/** Runs the probe under `wrangler dev` in `dir`, in the environment the product's stack gives wrangler. */
export async function startWranglerProbe(dir: string, options: ProbeOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const { compatibilityFlags = [], sqlite = true, localObservability = false } = options;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "probe.mjs"), PROBE_SCRIPT);
  await writeFile(
    join(dir, "wrangler.toml"),
    `name = "probe"\nmain = "probe.mjs"\ncompatibility_date = "${COMPATIBILITY_DATE}"\n` +
      `compatibility_flags = ${JSON.stringify(compatibilityFlags)}\n\n` +
      `[[durable_objects.bindings]]\nname = "RELAY"\nclass_name = "Relay"\n\n[[migrations]]\ntag = "v1"\n${sqlite ? "new_sqlite_classes" : "new_classes"} = ["Relay"]\n`,
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(REPO_ROOT, "node_modules/wrangler/bin/wrangler.js"),
      "dev",
      "--config",
      join(dir, "wrangler.toml"),
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(await freePort()),
      "--persist-to",
      join(dir, "state"),
      "--show-interactive-dev-session=false",
    ],
    { cwd: dir, detached: true, stdio: "ignore", env: { ...wranglerEnv(), X_LOCAL_OBSERVABILITY: String(localObservability) } },
  );
  const close = (): Promise<void> => stopProcessGroup(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await (await fetch(url)).text()) === "probe ok") return { url, close };
    } catch {
      // Not up yet.
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      await close();
      throw new Error("wrangler dev (probe) did not start");
    }
    await sleep(250);
  }
}

