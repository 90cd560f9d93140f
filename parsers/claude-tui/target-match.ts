// Compares tool-call targets as drawn: whitespace from wrapping, `…` where the TUI shortened them, a header still being typed.

/** Collapses runs of whitespace (wrapping may change them) and trims. */
export function normalizeTarget(target: string): string {
  return target.replace(/\s+/gu, " ").trim();
}

/**
 * Whether two drawings can be the same call's target: equal, one a prefix of the other (arguments still
 * streaming in), or equal where `…` stands for text the TUI left out.
 */
export function targetsCompatible(a: string, b: string): boolean {
  if (a === b) return true;
  const x = normalizeTarget(a);
  const y = normalizeTarget(b);
  if (x === y) return true;
  if (x === "" || y === "") return false;
  if (x.includes("…") || y.includes("…")) return ellipsisMatch(x, y) || ellipsisMatch(y, x);
  return x.startsWith(y) || y.startsWith(x);
}

/** `shown` with each `…` read as "any text" matches `full` (spaces ignored around the cut). */
export function ellipsisMatch(shown: string, full: string): boolean {
  const parts = shown.split("…").map((part) => part.replace(/\s+/gu, ""));
  const whole = full.replace(/\s+/gu, "");
  let at = 0;
  for (const [index, part] of parts.entries()) {
    if (part === "") continue;
    if (index === 0) {
      if (!whole.startsWith(part)) return false;
      at = part.length;
      continue;
    }
    const found = index === parts.length - 1 ? whole.lastIndexOf(part) : whole.indexOf(part, at);
    if (found < at) return false;
    at = found + part.length;
    if (index === parts.length - 1 && at !== whole.length) return false;
  }
  return true;
}
