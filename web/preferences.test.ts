import { describe, expect, it } from "vitest";
import type { KeyValueStorage } from "./stored-json";
import { DEFAULT_PREFERENCES, loadPreferences, savePreferences } from "./preferences";

function memoryStorage(): KeyValueStorage {
  const entries = new Map<string, string>();
  return { getItem: (key) => entries.get(key) ?? null, setItem: (key, value) => void entries.set(key, String(value)) };
}

describe("preferences", () => {
  it("default to the system theme, copy on select, and no notifications until the user opts in", () => {
    expect(loadPreferences(memoryStorage())).toEqual(DEFAULT_PREFERENCES);
    expect(DEFAULT_PREFERENCES.notify).toBe(false);
    expect(DEFAULT_PREFERENCES.theme).toBe("system");
  });

  it("round-trip through storage", () => {
    const storage = memoryStorage();
    const chosen = { theme: "light", notify: true, sound: true, copyOnSelect: false, screenReader: true } as const;
    savePreferences(storage, chosen);
    expect(loadPreferences(storage)).toEqual(chosen);
  });

  it("fall back per field on unknown or mistyped values", () => {
    const storage = memoryStorage();
    storage.setItem("nightona.preferences.v1", JSON.stringify({ theme: "sepia", notify: "yes", sound: true }));
    expect(loadPreferences(storage)).toEqual({ ...DEFAULT_PREFERENCES, sound: true });
  });
});
