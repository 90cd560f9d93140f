// Prints the parser's precision, recall and status accuracy on the corpus, per session and per Claude Code version.
// Usage: npx tsx test/recorder/evaluate-corpus.ts [--chunk N] [--seed S] [--details] [--only substring]
import { parseArgs } from "node:util";
import { loadManifest, loadSession, parseSession, randomSplitter } from "./corpus";
import { precision, recall, score, total, type Score } from "./evaluate";

const { values } = parseArgs({
  options: {
    chunk: { type: "string" },
    seed: { type: "string", default: "1" },
    details: { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const split = values.chunk ? randomSplitter(Number(values.seed), Number(values.chunk)) : undefined;
const groups = new Map<string, Score[]>();
const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

for (const entry of loadManifest()) {
  if (values.only && !entry.session.includes(values.only)) continue;
  const session = loadSession(entry);
  const { records } = parseSession(session, split);
  const result = score(records, session.truth.tools, session.truth.workspace);
  const sets = entry.heldOut ? ["held-out", `held-out r${entry.round ?? 1}`] : ["dev"];
  for (const key of [...sets.map((set) => `${entry.version} ${set}`), `${entry.version} all`]) groups.set(key, [...(groups.get(key) ?? []), result]);
  const flag = result.missed + result.madeUp > 0 || result.statusRight < result.found ? " <" : "";
  console.log(
    `${entry.session.padEnd(40)} found ${result.found} missed ${result.missed} made-up ${result.madeUp} dup ${result.duplicates} status ${result.statusRight}/${result.found}${flag}`,
  );
  if (values.details) {
    for (const pair of result.pairs) {
      const got = pair.record ? `${pair.record.tool}(${pair.record.target}) ${pair.record.status}` : "MISSED";
      const mark = !pair.record ? "✗" : pair.record.status !== pair.truth.status ? "~" : " ";
      console.log(`   ${mark} ${pair.truth.name}(${pair.truth.target.slice(0, 70)}) ${pair.truth.status} → ${got.slice(0, 110)}`);
    }
    for (const record of result.extra) console.log(`   + ${record.tool}(${record.target.slice(0, 70)}) ${record.status}`);
  }
}

console.log("");
for (const [key, scores] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
  const sum = total(scores);
  console.log(
    `${key.padEnd(20)} sessions ${String(scores.length).padStart(2)}  precision ${percent(precision(sum))}  recall ${percent(recall(sum))}  status ${percent(sum.found ? sum.statusRight / sum.found : 1)}  targets named ${percent(sum.found ? sum.targetKnown / sum.found : 1)}  duplicates ${sum.duplicates}`,
  );
}
