// What one benchmark run measured, and the report printed from it.
import { type CpuGroup, CpuGroups } from "./cpu";
import { fixed, median, percentile, ratio, table } from "./stats";
import type { DataFile } from "./workloads";

/** The baseline relay, the same relay with its shell under `script` (the stack's recording), the full stack. */
export type SideName = "baseline" | "recorded" | "stack";
export type FanMode = "one" | "many";
export type CpuRun = Partial<Record<CpuGroup, number>>;

/** Timed runs of one kind (one size, one or many clients) on one side. */
export interface Series {
  ms: number[];
  /** Runs (warm-ups included) that never completed, e.g. because the session lost its PTY. */
  failed: number;
  /** CPU ms per process group, one entry per timed run. */
  cpu: CpuRun[];
  /** Average output payload per frame that clients received, per timed run. */
  frameBytes: number[];
}

export interface SideResults {
  echo?: number[];
  /** WebSocket extensions the server negotiated with the client (seen on the echo connection). */
  extensions?: string;
  /** Throughput per file size, in the order of `Report.files`. */
  throughput: Array<Record<FanMode, Series>>;
  errors: string[];
}

export interface RunSettings {
  samples: number;
  warmup: number;
  reps: number;
  clients: number;
  lineBytes: number;
}

const SIDE_LABELS: Record<SideName, string> = { baseline: "baseline  ", recorded: "recorded  ", stack: "full stack" };

export const newSeries = (): Series => ({ ms: [], failed: 0, cpu: [], frameBytes: [] });

export function newSideResults(sizes: number): SideResults {
  return { throughput: Array.from({ length: sizes }, () => ({ one: newSeries(), many: newSeries() })), errors: [] };
}

export function report(
  results: Record<SideName, SideResults>,
  files: DataFile[],
  settings: RunSettings,
  facts: string[],
  notes: string[] = [],
): string {
  const b = results.baseline;
  const rec = results.recorded;
  const s = results.stack;
  const n = settings.clients;
  const p50 = (r: SideResults): number | undefined => (r.echo?.length ? median(r.echo) : undefined);
  const p99 = (r: SideResults): number | undefined => (r.echo?.length ? percentile(r.echo, 99) : undefined);
  const secs = (series: Series | undefined): number | undefined => (series?.ms.length ? median(series.ms) / 1000 : undefined);
  const mbps = (series: Series | undefined, file: DataFile): number | undefined => {
    const seconds = secs(series);
    return seconds === undefined ? undefined : file.bytes / 1e6 / seconds;
  };
  const fan = (sizes: Record<FanMode, Series> | undefined): number | undefined => {
    const one = secs(sizes?.one);
    const many = secs(sizes?.many);
    return one === undefined || many === undefined ? undefined : many / one;
  };
  const verdict = (holds: boolean | undefined): string => (holds === undefined ? "n/a" : holds ? "PASS" : "FAIL");
  const failed = (series: Series | undefined): string => (series?.failed ? ` (${series.failed} failed)` : "");

  const rows: string[][] = [];
  const echoOk = p50(s) !== undefined && p50(b) !== undefined ? p50(s)! <= 4 * p50(b)! && p50(s)! < 2 : undefined;
  rows.push(["Echo p50 (ms)", fixed(p50(b), 3), fixed(p50(s), 3), ratio(p50(s), p50(b)), "≤ 4× baseline and < 2 ms", verdict(echoOk)]);
  rows.push(["Echo p99 (ms)", fixed(p99(b), 3), fixed(p99(s), 3), ratio(p99(s), p99(b)), "", ""]);
  files.forEach((file, index) => {
    const mb = `${file.bytes / 1e6} MB`;
    const bs = b.throughput[index];
    const ss = s.throughput[index];
    const main = index === 0;
    // A run that never completed fails the target, whatever the completed ones measured.
    const tputOk =
      ss?.one.failed ? false : mbps(ss?.one, file) !== undefined && mbps(bs?.one, file) !== undefined
        ? mbps(ss?.one, file)! >= 0.5 * mbps(bs?.one, file)!
        : undefined;
    const fanOk = ss?.many.failed ? false : fan(ss) !== undefined ? fan(ss)! < 2 : undefined;
    const tag = main ? "" : ` [${mb}]`;
    rows.push([
      `Throughput, 1 client (MB/s)${tag}`,
      fixed(mbps(bs?.one, file), 1) + failed(bs?.one),
      fixed(mbps(ss?.one, file), 1) + failed(ss?.one),
      ratio(mbps(ss?.one, file), mbps(bs?.one, file)),
      main ? "≥ 0.5× baseline" : "(smaller file, for context)",
      main ? verdict(tputOk) : `(${verdict(tputOk)})`,
    ]);
    rows.push([`${mb} to 1 client (s)`, fixed(secs(bs?.one)), fixed(secs(ss?.one)), ratio(secs(ss?.one), secs(bs?.one)), "", ""]);
    rows.push([
      `${mb} to ${n} clients (s)`,
      fixed(secs(bs?.many)) + failed(bs?.many),
      fixed(secs(ss?.many)) + failed(ss?.many),
      ratio(secs(ss?.many), secs(bs?.many)),
      "",
      "",
    ]);
    rows.push([`${n} clients ÷ 1 client${tag}`, ratio(fan(bs), 1), ratio(fan(ss), 1), "", main ? "< 2× (full stack)" : "(for context)", main ? verdict(fanOk) : `(${verdict(fanOk)})`]);
  });
  // The stack keeps every byte in the sandbox's recording, one more PTY hop; against a baseline that records the same
  // way, the ratios show what the relay itself costs.
  const mainFile = files[0];
  const rs = rec.throughput[0];
  const ss = s.throughput[0];
  if (rec.echo?.length || rs?.one.ms.length) {
    const context = "(vs the recording baseline)";
    rows.push(["Echo p50 (ms), recording baseline", fixed(p50(rec), 3), fixed(p50(s), 3), ratio(p50(s), p50(rec)), context, ""]);
    if (mainFile) {
      rows.push([
        "Throughput, 1 client (MB/s), recording baseline",
        fixed(mbps(rs?.one, mainFile), 1) + failed(rs?.one),
        fixed(mbps(ss?.one, mainFile), 1),
        ratio(mbps(ss?.one, mainFile), mbps(rs?.one, mainFile)),
        context,
        "",
      ]);
      rows.push([`${n} clients ÷ 1 client, recording baseline`, ratio(fan(rs), 1), ratio(fan(ss), 1), "", context, ""]);
    }
  }

  const cpuTables = files.flatMap((file, index) => {
    const bs = b.throughput[index]!;
    const rs = rec.throughput[index]!;
    const ss = s.throughput[index]!;
    const all = [bs.one, bs.many, rs.one, rs.many, ss.one, ss.many];
    if (all.every((series) => series.cpu.length === 0)) return [];
    const cell = (series: Series, group: CpuGroup): string =>
      series.cpu.length ? fixed(median(series.cpu.map((run) => run[group] ?? 0)), 0) : "n/a";
    const groups = (Object.keys(CpuGroups) as CpuGroup[]).filter((group) =>
      all.some((series) => series.cpu.some((run) => (run[group] ?? 0) > 0)),
    );
    return [
      "",
      `CPU time per ${file.bytes / 1e6} MB run by process group (ms, median of the timed runs):`,
      table(
        ["Process group", "Base 1", `Base ${n}`, "Rec 1", `Rec ${n}`, "Stack 1", `Stack ${n}`],
        groups.map((group) => [CpuGroups[group], ...all.map((series) => cell(series, group))]),
      ),
    ];
  });

  const runs = files.flatMap((file, index) =>
    (["baseline", "recorded", "stack"] as const).map((side) => {
      const sizes = results[side].throughput[index]!;
      const list = (series: Series): string => `[${series.ms.map((ms) => fixed(ms / 1000)).join(", ")}] s, ${series.failed} failed`;
      const frames = [...sizes.one.frameBytes, ...sizes.many.frameBytes];
      return (
        `  ${file.bytes / 1e6} MB, ${SIDE_LABELS[side]}: 1 client ${list(sizes.one)}; ` +
        `${n} clients ${list(sizes.many)}; mean output frame ${fixed(frames.length ? median(frames) : undefined, 0)} B`
      );
    }),
  );
  const errors = (["baseline", "recorded", "stack"] as const).flatMap((side) => results[side].errors.map((e) => `  ${SIDE_LABELS[side].trim()}: ${e}`));
  return [
    "",
    "Nightona benchmark: full stack vs baseline relay (and vs the baseline with a recording, for context)",
    ...facts.map((fact) => `  ${fact}`),
    `  WebSocket extensions negotiated with the client: baseline ${b.extensions || "none"}, full stack ${s.extensions || "none"}`,
    `  echo: ${settings.samples} keys after ${settings.warmup} warm-up keys; throughput: median of ${settings.reps} runs per ` +
      `size after one warm-up, files of ${settings.lineBytes}-byte lines`,
    "",
    table(["Metric", "Baseline", "Full stack", "Stack/Base", "Target", "Result"], rows),
    ...cpuTables,
    "",
    "Runs (failed counts include the untimed warm-up):",
    ...runs,
    ...(notes.length ? ["", "Notes:", ...notes.map((note) => `  ${note}`)] : []),
    ...(errors.length ? ["", "Errors:", ...errors] : []),
    "",
  ].join("\n");
}
