// Settings kept as JSON in the browser's storage: read leniently (anything missing or malformed is left out), written
// without failing (private windows and full quotas refuse writes; the value still applies until the page closes).

/** The part of the Web Storage API this needs (localStorage in the page). */
export type KeyValueStorage = Pick<Storage, "getItem" | "setItem">;

/** The page's storage, or null where it is unavailable (some private modes throw on access). */
export function browserStorage(): KeyValueStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The object stored under `key`; empty when there is none or it is not a JSON object. */
export function readStoredObject(storage: KeyValueStorage | null, key: string): Record<string, unknown> {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(storage?.getItem(key) ?? "null");
  } catch {
    parsed = null;
  }
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

export function writeStoredObject(storage: KeyValueStorage | null, key: string, value: object): void {
  try {
    storage?.setItem(key, JSON.stringify(value));
  } catch (error) {
    console.warn("storage.write_failed", { key, error: String(error) });
  }
}
