// Who is in a session, as the page shows it: joins and leaves between presence lists, and the words for them.
import type { PresenceEntry, Role } from "../parsers/protocol";

/** Someone attached or detached between two successive presence lists. */
export type PresenceChange = { kind: "joined" | "left"; entry: PresenceEntry };

/** How roles read in sentences ("Ada joined as writer") and in the list of people. */
export const presenceRoleWords: Record<Role, string> = {
  owner: "owner",
  writer: "writer",
  viewer: "viewer",
};

/**
 * The people who joined and left between `previous` and `next`, by client id: leaves first, then joins, each
 * in list order. This client (`selfId`) is never announced. With no `previous` list (the first one after a
 * (re)connect) there is nothing to compare with, so nothing changed.
 */
export function diffPresence(
  previous: readonly PresenceEntry[] | null,
  next: readonly PresenceEntry[],
  selfId: string | null,
): PresenceChange[] {
  if (previous === null) return [];
  const before = new Set(previous.map((entry) => entry.id));
  const after = new Set(next.map((entry) => entry.id));
  const changes: PresenceChange[] = [];
  for (const entry of previous) {
    if (!after.has(entry.id) && entry.id !== selfId) changes.push({ kind: "left", entry });
  }
  for (const entry of next) {
    if (!before.has(entry.id) && entry.id !== selfId) changes.push({ kind: "joined", entry });
  }
  return changes;
}

const ROLE_RANK: Record<Role, number> = { owner: 0, writer: 1, viewer: 2 };

/**
 * The order the list shows people in: this client first, then owners, writers and viewers; within a role the
 * server's order (which need not be join order) is kept.
 */
export function orderPresence(entries: readonly PresenceEntry[], selfId: string | null): PresenceEntry[] {
  const rank = (entry: PresenceEntry): number => (entry.id === selfId ? -1 : ROLE_RANK[entry.role]);
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => rank(a.entry) - rank(b.entry) || a.index - b.index)
    .map(({ entry }) => entry);
}

/** "Ada joined as writer", "Bob left". */
export function describePresenceChange(change: PresenceChange): string {
  const name = change.entry.name || "Guest";
  return change.kind === "joined" ? `${name} joined as ${presenceRoleWords[change.entry.role]}` : `${name} left`;
}

/** "1 person here", "3 people here". */
export function describeHeadcount(count: number): string {
  return count === 1 ? "1 person here" : `${count} people here`;
}

/** "1 owner, 2 writers" for the badge's tooltip. */
export function describeRoles(entries: readonly PresenceEntry[]): string {
  const counts = new Map<Role, number>();
  for (const entry of entries) counts.set(entry.role, (counts.get(entry.role) ?? 0) + 1);
  return [...counts]
    .map(([role, count]) => `${count} ${presenceRoleWords[role]}${count === 1 ? "" : "s"}`)
    .join(", ");
}

/** A server colour safe to put in a style (`#rrggbb`), or null. */
export function safeColor(color: unknown): string | null {
  return typeof color === "string" && /^#[0-9a-fA-F]{6}$/.test(color) ? color : null;
}
