// The machine's processes as Linux's /proc lists them: id, parent, process group and the raw stat fields.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  /** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, …, utime at 11, stime at 12. */
  fields: string[];
}

/** Every process now; empty where there is no /proc. */
export function readProcessTable(): ProcessEntry[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const table: ProcessEntry[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name is in parentheses and may itself contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.push({ pid: Number(entry), ppid: Number(fields[1]), pgrp: Number(fields[2]), fields });
    } catch {
      // The process ended meanwhile.
    }
  }
  return table;
}

/** Every process below `root`. */
export function descendantsOf(root: number, table: readonly ProcessEntry[] = readProcessTable()): number[] {
  const children = new Map<number, number[]>();
  for (const entry of table) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry.pid]);
  const found: number[] = [];
  for (const queue = [root]; queue.length > 0; ) {
    const next = children.get(queue.pop()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}
