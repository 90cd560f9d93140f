// TurnNotifier: tells a user who looks at another tab that Claude finished its turn or asks for permission (a notification, a chime).
import type { ClaudeState } from "../parsers/protocol";
import { preferences } from "./preferences";
import { tabFavicon } from "./tab-indicator";
import { turnNotice, type TurnNotice } from "./turn-notices";

/** The chime: two short sine notes, in Hz and seconds. */
const CHIME = [
  { frequency: 880, start: 0, length: 0.12 },
  { frequency: 1320, start: 0.14, length: 0.18 },
] as const;
/** Peak loudness of the chime (0..1): noticeable, not startling. */
const CHIME_GAIN = 0.08;

export class TurnNotifier {
  readonly #sessionId: string;
  #previous: ClaudeState | null = null;
  #audio: AudioContext | null = null;

  constructor(sessionId: string) {
    this.#sessionId = sessionId;
  }

  /** Feeds Claude's latest state (null while unknown, as after a reconnect); notifies on a turn's end or a question. */
  observe(state: ClaudeState | null, waitingFor?: string): void {
    const previous = this.#previous;
    this.#previous = state;
    if (state === null) return;
    const notice = turnNotice(previous, state, waitingFor);
    if (!notice || document.visibilityState !== "hidden") return;
    const prefs = preferences.current;
    if (prefs.notify) this.#notify(notice);
    if (prefs.sound) this.#chime();
  }

  dispose(): void {
    void this.#audio?.close();
    this.#audio = null;
  }

  #notify(notice: TurnNotice): void {
    if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
    try {
      const shown = new Notification(notice.title, {
        body: notice.body,
        // One notice per kind and session: a newer one replaces the older one.
        tag: `nightona-${this.#sessionId}-${notice.kind}`,
        icon: tabFavicon(notice.kind === "permission" ? "attention" : "idle"),
      });
      shown.onclick = () => {
        window.focus();
        shown.close();
      };
    } catch (error) {
      // Some mobile browsers only notify through a service worker; the title and favicon still tell.
      console.info("notify.failed", { error: String(error) });
    }
  }

  #chime(): void {
    try {
      this.#audio ??= new AudioContext();
      const audio = this.#audio;
      const now = audio.currentTime;
      for (const note of CHIME) {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = note.frequency;
        gain.gain.setValueAtTime(0, now + note.start);
        gain.gain.linearRampToValueAtTime(CHIME_GAIN, now + note.start + 0.01);
        gain.gain.exponentialRampToValueAtTime(0.0001, now + note.start + note.length);
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(now + note.start);
        oscillator.stop(now + note.start + note.length + 0.02);
      }
    } catch (error) {
      console.info("chime.failed", { error: String(error) });
    }
  }
}
