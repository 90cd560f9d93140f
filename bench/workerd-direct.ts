// `wrangler dev` puts a proxy workerd in front of the workerd that runs the Worker; this finds the latter's own port
// (for measurements that skip the proxy hop). Linux only: reads /proc and `ss`.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** The Worker's own address inside `wrangler dev` (behind its proxy): a listening port of a workerd below this process. */
export async function findDirectUrl(
  proxyUrl: string,
  /** A GET that only the Worker answers as `accepts` expects. */
  probePath = "/api/sessions/ready-check",
  accepts = (response: Response): boolean | Promise<boolean> => response.headers.get("content-type")?.includes("application/json") ?? false,
): Promise<string> {
  const parentOf = (pid: number): number => {
    try {
      return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
    } catch {
      return 0;
    }
  };
  const isMine = (pid: number): boolean => {
    for (let at = pid; at > 1; at = parentOf(at)) if (at === process.pid) return true;
    return false;
  };
  const proxyPort = new URL(proxyUrl).port;
  const candidates: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!pid) continue;
    let cmdline = "";
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    } catch {
      continue;
    }
    if (cmdline.includes("workerd serve") && !cmdline.includes(`entry=127.0.0.1:${proxyPort}`) && isMine(pid)) candidates.push(pid);
  }
  const listening = execFileSync("ss", ["-ltnpH"], { encoding: "utf8" });
  for (const line of listening.split("\n")) {
    const pid = Number(/pid=(\d+)/.exec(line)?.[1]);
    const port = /127\.0\.0\.1:(\d+)/.exec(line)?.[1];
    if (!candidates.includes(pid) || !port) continue;
    const url = `http://127.0.0.1:${port}`;
    try {
      const response = await fetch(`${url}${probePath}`, { signal: AbortSignal.timeout(2000) });
      if (await accepts(response)) return url;
    } catch {
      // Not the Worker's HTTP port.
    }
  }
  throw new Error(`could not find the Worker's own port (workerd pids ${candidates.join(", ") || "none"})`);
}
