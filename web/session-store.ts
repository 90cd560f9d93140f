// The sessions this browser created, kept in localStorage so the start page can list them and the owner can share links.
import type { SessionLinks } from "./api";
import type { TabState } from "./tab-indicator";

export interface StoredSession {
  id: string;
  /** What the PTY runs; absent means the server's default (Claude Code). */
  command?: string;
  /** `Date.now()` at creation. */
  createdAt: number;
  links: SessionLinks;
  /** What the session was doing when this browser last watched it. */
  lastState?: TabState;
  /** `Date.now()` when this browser last saw output or a state change. */
  lastActivityAt?: number;
}

const STORAGE_KEY = "nightona.sessions.v1";
/** Oldest entries beyond this many are forgotten. */
const MAX_SESSIONS = 50;

/** Newest first. Entries that do not parse are skipped. */
export function listSessions(): StoredSession[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(isStoredSession).sort((a, b) => b.createdAt - a.createdAt);
}

export function findSession(id: string): StoredSession | undefined {
  return listSessions().find((session) => session.id === id);
}

export function saveSession(session: StoredSession): void {
  const sessions = [session, ...listSessions().filter((entry) => entry.id !== session.id)].slice(0, MAX_SESSIONS);
  write(sessions);
}

/** Records what a session this browser created is doing; sessions opened from someone else's link are not listed. */
export function noteSessionActivity(id: string, change: { state?: TabState; at: number }): void {
  const sessions = listSessions();
  const entry = sessions.find((session) => session.id === id);
  if (!entry) return;
  if (change.state) entry.lastState = change.state;
  entry.lastActivityAt = Math.max(entry.lastActivityAt ?? 0, change.at);
  write(sessions);
}

export function forgetSession(id: string): void {
  write(listSessions().filter((entry) => entry.id !== id));
}

function write(sessions: StoredSession[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(sessions));
  } catch (error) {
    // Private windows and full quotas refuse writes; the session still works, it is just not listed.
    console.warn("sessions.store_failed", { error: String(error) });
  }
}

function isStoredSession(value: unknown): value is StoredSession {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  const links = entry.links as Record<string, unknown> | null | undefined;
  return (
    typeof entry.id === "string" &&
    typeof entry.createdAt === "number" &&
    (entry.command === undefined || typeof entry.command === "string") &&
    typeof links === "object" &&
    links !== null &&
    typeof links.owner === "string" &&
    typeof links.write === "string" &&
    typeof links.read === "string"
  );
}
