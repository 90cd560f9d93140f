// The name this person shows to others in a session, kept in localStorage; every ticket request carries it.
import { Limits } from "../parsers/protocol";

const STORAGE_KEY = "nightona.name.v1";

/** What the server shows for a person who chose no name. */
export const DEFAULT_DISPLAY_NAME = "Guest";

/**
 * A name as the server will show it: control and format characters removed, runs of spaces collapsed, trimmed,
 * at most `Limits.maxNameLength` characters. Empty means "no name" (the server shows "Guest").
 */
export function cleanDisplayName(raw: string): string {
  const cleaned = raw
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
  return [...cleaned].slice(0, Limits.maxNameLength).join("").trim();
}

/** The stored name, or "" when none was chosen (or storage is unavailable). */
export function loadDisplayName(): string {
  try {
    return cleanDisplayName(localStorage.getItem(STORAGE_KEY) ?? "");
  } catch {
    return "";
  }
}

/** Stores the name (cleaned; "" forgets it) and returns what was stored. */
export function saveDisplayName(raw: string): string {
  const name = cleanDisplayName(raw);
  try {
    if (name) localStorage.setItem(STORAGE_KEY, name);
    else localStorage.removeItem(STORAGE_KEY);
  } catch (error) {
    // Private windows may refuse writes; the page still uses the name until it closes.
    console.warn("name.store_failed", { error: String(error) });
  }
  return name;
}
