// How people appear to each other: display names as chosen (cleaned) and a stable colour per client.
import { Limits } from "../parsers/protocol";

export const DEFAULT_NAME = "Guest";

/** Readable on the dark and the light theme alike. */
const COLORS = ["#82aaff", "#c3e88d", "#ffc777", "#ff757f", "#c099ff", "#86e1fc", "#fca7ea", "#4fd6be"] as const;

/** A name fit to show: control and format characters removed, spaces collapsed, at most the protocol's length. */
export function cleanName(raw: unknown): string {
  if (typeof raw !== "string") return DEFAULT_NAME;
  const cleaned = raw
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
  return [...cleaned].slice(0, Limits.maxNameLength).join("") || DEFAULT_NAME;
}

/** A colour nobody attached has yet (chosen once per connection, so every screen shows the same one). */
export function pickColor(inUse: Iterable<string>, clientId: string): string {
  const taken = new Set(inUse);
  const free = COLORS.find((color) => !taken.has(color));
  if (free) return free;
  let hash = 0;
  for (let i = 0; i < clientId.length; i++) hash = (hash * 31 + clientId.charCodeAt(i)) >>> 0;
  return COLORS[hash % COLORS.length]!;
}
