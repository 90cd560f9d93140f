// ToolCallLog: the tool calls this client was told about, in order of first appearance, with durations it measured itself.
import { FINAL_STATUSES } from "../parsers/claude-tui/events";
import type { ToolEvent, ToolRecord, ToolStatus } from "../parsers/protocol";

/** One call as the panel shows it: the server's record plus what this client measured. */
export interface ToolCall extends ToolRecord {
  /** Milliseconds from when this client first saw the call under way to when it saw it end; absent when unknown. */
  durationMs?: number;
}

/** Calls kept at most; the oldest go first (the server keeps fewer). */
const MAX_CALLS = 1_000;
/** Timings kept at most, across snapshots; the oldest go first. */
const MAX_TIMINGS = 2_000;

export const isFinal = (status: ToolStatus): boolean => FINAL_STATUSES.has(status);

/** What this client saw of one call's progress; it outlives a snapshot so a reconnect keeps the clock. */
interface Timing {
  /** When the call was last seen starting to run (or, before that, first seen waiting), in the clock's ms. */
  since?: number;
  /** The status seen last. */
  status: ToolStatus;
  durationMs?: number;
}

export class ToolCallLog {
  readonly #calls = new Map<string, ToolCall>();
  readonly #timings = new Map<string, Timing>();
  #list: readonly ToolCall[] = [];

  /** Every call in order of first appearance; a new array whenever anything changed. */
  get calls(): readonly ToolCall[] {
    return this.#list;
  }

  /** Takes a `tool` message; `now` is a monotonic clock in milliseconds. */
  apply(event: ToolEvent, now: number): void {
    const { type: _type, ...record } = event;
    const timing = this.#time(record, now);
    const call: ToolCall = timing.durationMs === undefined ? record : { ...record, durationMs: timing.durationMs };
    this.#calls.set(call.id, call);
    if (this.#calls.size > MAX_CALLS) this.#calls.delete(this.#calls.keys().next().value!);
    this.#list = [...this.#calls.values()];
  }

  /** Forgets the calls (a fresh snapshot follows); what was measured stays for the calls that come back. */
  clear(): void {
    this.#calls.clear();
    this.#list = [];
  }

  #time(record: ToolRecord, now: number): Timing {
    let timing = this.#timings.get(record.id);
    if (!timing) {
      // A call first seen already ended (replayed history) gets no duration: this client never saw it run.
      timing = { status: record.status, since: isFinal(record.status) ? undefined : now };
      this.#timings.set(record.id, timing);
      if (this.#timings.size > MAX_TIMINGS) this.#timings.delete(this.#timings.keys().next().value!);
      return timing;
    }
    const before = timing.status;
    timing.status = record.status;
    if (record.status === "running" && before === "awaiting-permission") {
      // The run starts once permission is given; the wait is not the tool's time.
      timing.since = now;
    } else if (isFinal(record.status) && !isFinal(before) && timing.since !== undefined && record.status !== "denied") {
      timing.durationMs = Math.max(0, now - timing.since);
    }
    return timing;
  }
}

/** The tool names present, in order of first appearance. */
export function toolsPresent(calls: readonly ToolCall[]): string[] {
  return [...new Set(calls.map((call) => call.tool))];
}

/** The calls of one tool, or all of them when `tool` is null. */
export function filterCalls(calls: readonly ToolCall[], tool: string | null): readonly ToolCall[] {
  return tool === null ? calls : calls.filter((call) => call.tool === tool);
}

/** "0.4s", "12s", "2m 05s", "1h 02m". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}
