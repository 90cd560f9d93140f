// CPU time per process group from /proc (Linux), to show where a workload's time goes: the benchmark's clients,
// the servers process (sandbox host / baseline relay), wrangler's proxy workerd, the workerd running the Worker and
// SessionRoom, wrangler's own node, and the PTY's processes (the shell, `script` where it records, and the `cat`s reaped).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { descendantsOf, readProcessTable } from "../sandbox-host/process-table";

export const CpuGroups = {
  clients: "bench clients (node)",
  servers: "sandbox host / baseline relay (node)",
  proxy: "workerd: wrangler's proxy",
  worker: "workerd: Worker + SessionRoom",
  wrangler: "wrangler (node)",
  pty: "PTY processes (shell, script, cat)",
} as const;
export type CpuGroup = keyof typeof CpuGroups;

const CLOCK_TICKS = ((): number => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcessTicks {
  group: CpuGroup;
  ticks: number;
}

export type CpuSnapshot = Map<number, ProcessTicks>;

/** This process and every descendant of `serversPid`, with their group and their /proc stat fields. */
export function serverProcesses(serversPid: number, proxyPort: string): Array<{ pid: number; group: CpuGroup; fields: string[] }> {
  const table = readProcessTable();
  const below = new Set(descendantsOf(serversPid, table));
  return table
    .filter((entry) => entry.pid === process.pid || entry.pid === serversPid || below.has(entry.pid))
    .map((entry) => ({ pid: entry.pid, group: groupOf(entry.pid, serversPid, proxyPort), fields: entry.fields }));
}

/** Ticks of this process and of every descendant of `serversPid`; `proxyPort` tells wrangler's proxy workerd apart. */
export function cpuSnapshot(serversPid: number, proxyPort: string): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  for (const { pid, group, fields } of serverProcesses(serversPid, proxyPort)) {
    // utime + stime; for the PTY's shells also the children they reaped (each `cat` of a run).
    let ticks = Number(fields[11]) + Number(fields[12]);
    if (group === "pty") ticks += Number(fields[13]) + Number(fields[14]);
    snapshot.set(pid, { group, ticks });
  }
  return snapshot;
}

function groupOf(pid: number, serversPid: number, proxyPort: string): CpuGroup {
  if (pid === process.pid) return "clients";
  if (pid === serversPid) return "servers";
  let cmdline = "";
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "pty";
  }
  if (cmdline.includes("workerd")) return cmdline.includes(`entry=127.0.0.1:${proxyPort} `) ? "proxy" : "worker";
  if (cmdline.includes("wrangler") || cmdline.includes("esbuild")) return "wrangler";
  return "pty";
}

/** CPU milliseconds per group between two snapshots (processes that ended in between are left out). */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): Partial<Record<CpuGroup, number>> {
  const delta: Partial<Record<CpuGroup, number>> = {};
  for (const [pid, now] of after) {
    const then = before.get(pid);
    const ticks = Math.max(0, now.ticks - (then?.ticks ?? 0));
    delta[now.group] = (delta[now.group] ?? 0) + (ticks * 1000) / CLOCK_TICKS;
  }
  return delta;
}
