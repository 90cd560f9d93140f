// Applies the light or dark theme to the page: the user's choice, or the system's when they chose "system".
import { preferences, type ThemeChoice } from "./preferences";

export type ResolvedTheme = "light" | "dark";

const DARK_QUERY = "(prefers-color-scheme: dark)";
/** The browser chrome's colour per theme (the `theme-color` meta), matching `--bg-raised`. */
const CHROME_COLOURS: Record<ResolvedTheme, string> = { dark: "#171a26", light: "#eef0f7" };

/** The theme in effect now. */
export function currentTheme(): ResolvedTheme {
  return document.documentElement.dataset.theme === "light" ? "light" : "dark";
}

export function resolveTheme(choice: ThemeChoice): ResolvedTheme {
  if (choice !== "system") return choice;
  return window.matchMedia?.(DARK_QUERY).matches === false ? "light" : "dark";
}

/**
 * Sets `data-theme` on <html> now and whenever the preference or the system setting changes; a change is
 * announced as `theme-change` (detail: the resolved theme) on window, which the terminal follows.
 */
export function followTheme(): void {
  const apply = (): void => {
    const theme = resolveTheme(preferences.current.theme);
    const root = document.documentElement;
    if (root.dataset.theme === theme) return;
    root.dataset.theme = theme;
    root.style.colorScheme = theme;
    document.querySelector('meta[name="theme-color"]')?.setAttribute("content", CHROME_COLOURS[theme]);
    window.dispatchEvent(new CustomEvent("theme-change", { detail: theme }));
  };
  apply();
  preferences.subscribe(apply);
  window.matchMedia?.(DARK_QUERY).addEventListener("change", apply);
}

declare global {
  interface WindowEventMap {
    "theme-change": CustomEvent<ResolvedTheme>;
  }
}
