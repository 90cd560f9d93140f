// How much does a hop through workerd cost on this machine, with none of Nightona's code in it?
// `npx tsx bench/probe-workerd.ts [--mb N] [--samples N] [--reps N] [--only TEXT]`
// A ten-line probe relay sits between the benchmark's client and the baseline relay, passing raw bytes both ways:
// a stateless Worker (`worker`), a Durable Object with `accept()` (`do`) or with the hibernation API (`hibernate`,
// as the SessionRoom). It runs under `wrangler dev` with a SQLite-backed DO (as the product), with wrangler's local
// observability left on (its default: a trace written to disk per invocation, so per hibernation event), with the
// flag `no_web_socket_compression`, and with a KV-backed DO; reached through wrangler's proxy workerd (as the product is)
// and skipping it; with a client that offers permessage-deflate (as browsers and `ws` do) or not.
// Everything but workerd and wrangler runs in this process; compare the rows with each other.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startBaselineRelay } from "./baseline-relay";
import { fixed, median, percentile } from "./stats";
import { onFatal } from "./fatal";
import { startWranglerProbe } from "./probe-worker";
import { BaselineTerminal } from "./terminal";
import { findDirectUrl } from "./workerd-direct";
import { catThroughput, echoLatency, startCat, writeDataFile, type DataFile } from "./workloads";

const { values: args } = parseArgs({
  options: {
    mb: { type: "string", default: "20" },
    samples: { type: "string", default: "300" },
    reps: { type: "string", default: "3" },
    only: { type: "string" },
  },
});

interface Endpoint {
  label: string;
  /** Offer permessage-deflate, as `ws` and browsers do by default (default true). */
  deflate?: boolean;
  /** ws URL of a terminal on PTY session `session`. */
  url(session: string): string;
}

async function measure(endpoint: Endpoint, file: DataFile): Promise<void> {
  const options = { perMessageDeflate: endpoint.deflate ?? true };
  const echo = await BaselineTerminal.connect(endpoint.url(`echo-${Date.now()}`), `${endpoint.label}/echo`, options);
  let echoText = "";
  try {
    await startCat(echo);
    const samples = await echoLatency(echo, { warmup: 50, samples: Number(args.samples), gapMs: 4, lineLength: 100, timeoutMs: 5000 });
    echoText = `echo p50 ${fixed(median(samples), 3)} ms, p99 ${fixed(percentile(samples, 99), 3)} ms`;
  } finally {
    await echo.close();
  }
  const terminal = await BaselineTerminal.connect(endpoint.url(`tp-${Date.now()}`), `${endpoint.label}/tp`, options);
  try {
    await catThroughput([terminal], file, 90_000);
    const times: number[] = [];
    for (let rep = 0; rep < Number(args.reps); rep++) times.push((await catThroughput([terminal], file, 90_000)).ms);
    console.log(
      `${endpoint.label.padEnd(72)} ${echoText}; 1 client ${fixed(file.bytes / 1e6 / (median(times) / 1000), 1)} MB/s; ` +
        `extensions: ${terminal.extensions || "none"}`,
    );
  } finally {
    await terminal.close();
  }
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), "nightona-probe-"));
  const closers: Array<() => Promise<void>> = [];
  onFatal(async () => {
    for (const close of [...closers].reverse()) await close().catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  });
  try {
    const file = await writeDataFile(join(workDir, "data.txt"), Math.round((Number(args.mb) * 1e6) / 80), 80);
    const baseline = await startBaselineRelay({ workDir: join(workDir, "baseline") });
    closers.push(() => baseline.close());
    const upstream = (session: string): string => encodeURIComponent(`${baseline.url}/?session=${session}`);

    console.log(`${args.mb} MB file, ${args.samples} echo samples, median of ${args.reps} throughput runs`);
    const setups = [
      { name: "SQLite DO", options: {}, modes: ["worker", "do", "hibernate"], noDeflate: ["hibernate", "do"] },
      { name: "SQLite DO, local observability on", options: { localObservability: true }, modes: ["do", "hibernate"], noDeflate: ["hibernate"] },
      { name: "SQLite DO, flag no_web_socket_compression", options: { compatibilityFlags: ["no_web_socket_compression"] }, modes: ["hibernate"], noDeflate: [] as string[] },
      { name: "KV-backed DO", options: { sqlite: false }, modes: ["do", "hibernate"], noDeflate: ["hibernate"] },
    ];
    for (const [index, setup] of setups.entries()) {
      const wrangler = await startWranglerProbe(join(workDir, `wrangler-${index}`), setup.options);
      closers.push(() => wrangler.close());
      const proxy = wrangler.url.replace(/^http/, "ws");
      const direct = (await findDirectUrl(wrangler.url, "/", async (response) => (await response.text()) === "probe ok")).replace(/^http/, "ws");
      const endpoints: Endpoint[] = [];
      if (index === 0) endpoints.push({ label: "baseline relay, direct", url: (s) => `${baseline.url}/?session=${s}` });
      for (const [path, base] of [["via wrangler's proxy", proxy], ["skipping wrangler's proxy", direct]] as const) {
        for (const mode of setup.modes) {
          const url = (s: string): string => `${base}/?mode=${mode}&name=${s}&upstream=${upstream(s)}`;
          endpoints.push({ label: `${setup.name}, ${path}: ${mode}`, url });
          if (setup.noDeflate.includes(mode)) endpoints.push({ label: `${setup.name}, ${path}: ${mode}, client offers no deflate`, deflate: false, url });
        }
      }
      for (const endpoint of endpoints) {
        if (args.only && !endpoint.label.includes(args.only)) continue;
        try {
          await measure(endpoint, file);
        } catch (error) {
          console.log(`${endpoint.label.padEnd(72)} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      await closers.pop()!();
    }
  } finally {
    for (const close of [...closers].reverse()) await close().catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
