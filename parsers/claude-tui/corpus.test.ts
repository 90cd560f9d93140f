// Runs the parser over every recorded session (test/corpus) against the scripted API's ground truth, under random chunking.
import { describe, expect, test } from "vitest";
import { loadManifest, loadSession, parseSession, randomSplitter, type Session } from "../../test/recorder/corpus";
import { precision, recall, score, total, type Score } from "../../test/recorder/evaluate";
import { parseGroupSummary } from "./group-summary";

/** The bar the brief sets for precision and recall, per Claude Code version. */
const MIN_PRECISION = 0.95;
const MIN_RECALL = 0.95;
/**
 * Statuses right among found calls. Folded 2.1.x groups say how many calls failed ("· 1 failed") but not which,
 * so a few folded calls get "done" for "error"; every other call must be right (checked per call below).
 */
const MIN_STATUS_RIGHT = 0.9;
/** Random chunks are 1..this many bytes. */
const MAX_RANDOM_CHUNK = 64;
/** Sessions up to this size are also fed one byte at a time (keeps the suite quick), in bytes. */
const MAX_BYTEWISE_SESSION_BYTES = 60_000;

const sessions: Session[] = loadManifest().map((entry) => loadSession(entry));
const versions = [...new Set(sessions.map((session) => session.entry.version))];
const scores = new Map(sessions.map((session) => [session, score(parseSession(session).records, session.truth.tools, session.truth.workspace)]));

function sum(selected: Session[]): ReturnType<typeof total> {
  return total(selected.map((session) => scores.get(session) as Score));
}

describe("the recorded corpus", () => {
  test("has two Claude Code versions, widths from 60 to 200 columns, and a held-out set in each version", () => {
    expect(versions.length).toBeGreaterThanOrEqual(2);
    expect(sessions.length).toBeGreaterThanOrEqual(20);
    for (const cols of [60, 100, 160, 200]) expect(sessions.some((session) => session.entry.cols === cols)).toBe(true);
    for (const version of versions) expect(sessions.some((session) => session.entry.version === version && session.entry.heldOut)).toBe(true);
  });

  test.each(versions)("%s: precision and recall at least 95 percent, on held-out sessions and on all", (version) => {
    const mine = sessions.filter((session) => session.entry.version === version);
    for (const selected of [mine.filter((session) => session.entry.heldOut), mine]) {
      const result = sum(selected);
      expect(precision(result)).toBeGreaterThanOrEqual(MIN_PRECISION);
      expect(recall(result)).toBeGreaterThanOrEqual(MIN_RECALL);
      expect(result.statusRight / result.found).toBeGreaterThanOrEqual(MIN_STATUS_RIGHT);
    }
  });

  test("no duplicate calls from redraws, blinking or repaints", () => {
    for (const session of sessions) expect({ session: session.entry.session, duplicates: scores.get(session)?.duplicates }).toEqual({ session: session.entry.session, duplicates: 0 });
  });

  test("every call whose header was drawn has its final status right", () => {
    for (const session of sessions) {
      for (const pair of scores.get(session)?.pairs ?? []) {
        const folded = parseGroupSummary(pair.record?.summary ?? "").parts.length > 0;
        if (!pair.record || pair.record.target === "" || folded) continue;
        expect({ session: session.entry.session, call: `${pair.truth.name}(${pair.truth.target})`, status: pair.record.status }).toEqual({
          session: session.entry.session,
          call: `${pair.truth.name}(${pair.truth.target})`,
          status: pair.truth.status,
        });
      }
    }
  });

  test("random chunk sizes, and single bytes, give the same calls as whole PTY reads", () => {
    sessions.forEach((session, index) => {
      const whole = parseSession(session).records;
      expect(parseSession(session, randomSplitter(index + 1, MAX_RANDOM_CHUNK)).records).toEqual(whole);
      const size = session.recording.events.reduce((bytes, event) => bytes + (event.kind === "output" ? event.bytes.length : 0), 0);
      if (size <= MAX_BYTEWISE_SESSION_BYTES) expect(parseSession(session, (bytes) => Array.from(bytes, (_, i) => bytes.subarray(i, i + 1))).records).toEqual(whole);
    });
  });

  test("each session ends in a known state with no call left waiting on a menu", () => {
    for (const session of sessions) {
      const { events, records } = parseSession(session);
      const states = events.flatMap((event) => (event.type === "state" ? [event.state] : []));
      expect(states[0]).toBe("idle");
      expect(records.filter((record) => record.status === "awaiting-permission")).toEqual([]);
    }
  });
});
