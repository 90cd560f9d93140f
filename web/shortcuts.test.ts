import { describe, expect, it } from "vitest";
import { type KeyChord, shortcutFor } from "./shortcuts";

const chord = (code: string, mods: Partial<KeyChord> = {}): KeyChord => ({
  key: "",
  code,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe("shortcutFor", () => {
  it("maps Ctrl+Shift combinations to pane and share actions", () => {
    const ctrlShift = { ctrlKey: true, shiftKey: true };
    expect(shortcutFor(chord("KeyF", ctrlShift), false)).toBe("find");
    expect(shortcutFor(chord("Digit1", ctrlShift), false)).toBe("focus-terminal");
    expect(shortcutFor(chord("Digit2", ctrlShift), false)).toBe("toggle-tools");
    expect(shortcutFor(chord("Digit3", ctrlShift), false)).toBe("toggle-preview");
    expect(shortcutFor(chord("KeyL", ctrlShift), false)).toBe("copy-share-link");
    expect(shortcutFor(chord("Slash", ctrlShift), false)).toBe("show-shortcuts");
  });

  it("leaves plain Ctrl keys to the terminal", () => {
    expect(shortcutFor(chord("KeyF", { ctrlKey: true }), false)).toBeNull();
    expect(shortcutFor(chord("KeyL", { ctrlKey: true }), false)).toBeNull();
    expect(shortcutFor(chord("KeyC", { ctrlKey: true }), false)).toBeNull();
    expect(shortcutFor(chord("KeyF", { ctrlKey: true, shiftKey: true, altKey: true }), false)).toBeNull();
  });

  it("takes Cmd+F on Apple platforms only", () => {
    expect(shortcutFor(chord("KeyF", { metaKey: true }), true)).toBe("find");
    expect(shortcutFor(chord("KeyF", { metaKey: true }), false)).toBeNull();
  });
});
