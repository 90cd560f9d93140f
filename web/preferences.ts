// This browser's viewing preferences (theme, notifications, sound, copy on select, screen reader), kept in localStorage.
import { browserStorage, type KeyValueStorage, readStoredObject, writeStoredObject } from "./stored-json";

export type ThemeChoice = "system" | "light" | "dark";

export interface Preferences {
  /** `system` follows the operating system's light or dark setting. */
  theme: ThemeChoice;
  /** The user opted in to notifications when Claude finishes a turn or asks for permission in a background tab. */
  notify: boolean;
  /** A short chime with those notifications. */
  sound: boolean;
  /** Selecting text in the terminal copies it to the clipboard. */
  copyOnSelect: boolean;
  /** xterm.js's screen reader mode: output is mirrored into an accessible live region. */
  screenReader: boolean;
}

export const DEFAULT_PREFERENCES: Preferences = {
  theme: "system",
  notify: false,
  sound: false,
  copyOnSelect: true,
  screenReader: false,
};

const STORAGE_KEY = "nightona.preferences.v1";
const THEMES: readonly ThemeChoice[] = ["system", "light", "dark"];

export function loadPreferences(storage: KeyValueStorage | null): Preferences {
  const stored = readStoredObject(storage, STORAGE_KEY);
  const flag = (name: "notify" | "sound" | "copyOnSelect" | "screenReader"): boolean =>
    typeof stored[name] === "boolean" ? (stored[name] as boolean) : DEFAULT_PREFERENCES[name];
  return {
    theme: THEMES.includes(stored.theme as ThemeChoice) ? (stored.theme as ThemeChoice) : DEFAULT_PREFERENCES.theme,
    notify: flag("notify"),
    sound: flag("sound"),
    copyOnSelect: flag("copyOnSelect"),
    screenReader: flag("screenReader"),
  };
}

export function savePreferences(storage: KeyValueStorage | null, preferences: Preferences): void {
  writeStoredObject(storage, STORAGE_KEY, preferences);
}


/**
 * The page's preferences: one instance shared by every component, so a change made in the settings menu reaches
 * the terminal and the notifier at once. Listeners get the whole new set.
 */
class PreferenceStore extends EventTarget {
  #current: Preferences | null = null;

  get current(): Preferences {
    this.#current ??= loadPreferences(browserStorage());
    return this.#current;
  }

  update(change: Partial<Preferences>): Preferences {
    const next = { ...this.current, ...change };
    this.#current = next;
    savePreferences(browserStorage(), next);
    this.dispatchEvent(new CustomEvent<Preferences>("change", { detail: next }));
    return next;
  }

  /** Calls `listener` on every change; returns the function that stops it. */
  subscribe(listener: (preferences: Preferences) => void): () => void {
    const handler = (event: Event): void => listener((event as CustomEvent<Preferences>).detail);
    this.addEventListener("change", handler);
    return () => this.removeEventListener("change", handler);
  }
}

export const preferences = new PreferenceStore();
