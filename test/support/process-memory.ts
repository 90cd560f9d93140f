// Resident memory of processes, read from /proc (Linux), to check that a server's memory stays bounded.
import { readFileSync } from "node:fs";

/** Resident set size of a process in bytes, or 0 when it is gone. */
export function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the summed resident memory of `pids()` every `everyMs` until stopped; reports the peak. */
export function samplePeakMemory(pids: () => number[], everyMs = 50): { stop(): number } {
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, pids().reduce((sum, pid) => sum + residentBytes(pid), 0));
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
