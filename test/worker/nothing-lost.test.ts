// Nothing lost: output produced while no room listened is read back from the sandbox, clients too far behind get
// the screen, a client that stops reading gets at most a window and, when it reads again just past the log, what it
// missed from the sandbox's recording; an idle room sleeps and wakes, an exit restarts.
import { abortAllDurableObjects } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { encodeMessage, Limits } from "../../parsers/protocol";
import { ARCHIVE_FLUSH_MS } from "../../worker/output-archive";
import { attach, createSession } from "./session-client";

const LOG_BYTES = 1024 * 1024; // OUTPUT_LOG_BYTES in vitest.worker.config.ts
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** What bash prints for `seq from to` on a PTY. */
function seqOutput(from: number, to: number): string {
  let text = "";
  for (let i = from; i <= to; i++) text += `${i}\r\n`;
  return text;
}

/**
 * Runs `seq 1 last` in a new session only after its room is gone (aborted), waits `quietMs` for it to finish, and
 * attaches a client that resumes where the old one stopped.
 */
async function seqWhileTheRoomIsGone(last: number, quietMs: number) {
  const session = await createSession();
  const before = await attach(session.id, session.tokens.owner);
  await before.waitForRunning();
  before.type("echo rea''dy\r");
  await before.waitForText("ready");
  await pause(2 * ARCHIVE_FLUSH_MS); // the room archives its output and has placed the recording

  // The command prints only after the room is gone (it sleeps longer than the pause before the abort).
  before.type(`sleep 4; seq 1 ${last}; echo finished-$((6*7))\r`);
  await before.waitForText("finished-$((6*7))"); // the echoed command line
  await pause(2 * ARCHIVE_FLUSH_MS);
  await abortAllDurableObjects();
  await before.waitFor("the old socket to close", () => before.closed !== null);
  await pause(quietMs); // seq runs with nobody attached

  const after = await attach(session.id, session.tokens.owner, `&since=${before.nextOffset}`);
  return { session, before, after };
}

describe("a room that was not there", () => {
  it("reads back, byte for byte, what the command printed while the room was gone", async () => {
    const { session, before, after } = await seqWhileTheRoomIsGone(30_000, 4000);
    await after.waitForText("finished-42");
    expect(after.of("reset")).toHaveLength(0);
    expect(after.discontinuities).toBe(0);
    expect(after.text).toContain(seqOutput(1, 30000) + "finished-42\r\n");
    // A client that joins now replays the same bytes from the log.
    const later = await attach(session.id, session.tokens.read, `&since=${before.nextOffset}`);
    await later.waitForText("finished-42");
    expect(later.text.slice(0, after.text.length)).toBe(after.text.slice(0, later.text.length));
  });

  it("reads back a burst larger than the log whole, at the clients' pace", async () => {
    const { after } = await seqWhileTheRoomIsGone(400_000, 5000); // about 2.7 MB: more than the log holds
    await after.waitForText("finished-42", 30_000);
    expect(after.of("reset")).toHaveLength(0);
    expect(after.discontinuities).toBe(0);
    expect(after.text).toContain(seqOutput(1, 400000) + "finished-42\r\n");
  });
});

describe("a client the log has moved past", () => {
  it("gets a reset carrying the screen, then the log from its start", async () => {
    const session = await createSession();
    const owner = await attach(session.id, session.tokens.owner);
    await owner.waitForRunning();
    owner.type("printf '\\033[1;35mcolored\\033[0m\\n'; seq 1 300000; echo all-$((6*7))\r");
    await owner.waitForText("all-42");
    expect(owner.nextOffset!).toBeGreaterThan(2 * LOG_BYTES);

    const stale = await attach(session.id, session.tokens.read, "&since=5");
    await stale.waitForText("all-42");
    const [reset] = stale.of("reset");
    expect(reset).toBeDefined();
    expect(reset!.offset).toBeGreaterThan(owner.nextOffset! - LOG_BYTES - 1);
    // The screen at the log's start shows the numbers printed just before it (the first line may be cut).
    const firstWhole = Number(stale.text.split("\r\n")[1]);
    expect(firstWhole).toBeGreaterThan(1000);
    expect(reset!.screen).toContain(`${firstWhole - 3}`);
    expect(reset!.screen).toContain(`${firstWhole - 2}`);
    expect(reset!.cols).toBe(owner.of("hello")[0]!.cols);
    expect(stale.discontinuities).toBe(0);

    // A new client (no `since`) starts from the same screen.
    const fresh = await attach(session.id, session.tokens.read);
    await fresh.waitForText("all-42");
    expect(fresh.of("reset")).toHaveLength(1);
  });
});

/** A new session with a writer that keeps up and a viewer that stops acknowledging (it still receives). */
async function writerAndStalledViewer() {
  const session = await createSession();
  const fast = await attach(session.id, session.tokens.owner);
  const slow = await attach(session.id, session.tokens.read);
  slow.acknowledges = false;
  await fast.waitForRunning();
  await slow.waitForRunning();
  return { fast, slow };
}

/** The viewer reads again: it acknowledges what it has. Returns where it had stopped. */
function readsAgain(slow: Awaited<ReturnType<typeof writerAndStalledViewer>>["slow"]): number {
  const stalledAt = slow.nextOffset!;
  slow.acknowledges = true;
  slow.socket.send(encodeMessage({ type: "ack", offset: stalledAt }));
  return stalledAt;
}

describe("a client that stops acknowledging", () => {
  it("gets at most a window while the others get everything, then resumes where the log still allows", async () => {
    const { fast, slow } = await writerAndStalledViewer();
    fast.type("yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 12000000; echo end-$((6*7))\r");
    await fast.waitForText("end-42", 30_000);
    expect(slow.nextOffset!).toBeLessThan(Limits.maxUnackedBytes + 2 * 256 * 1024);
    expect(fast.discontinuities).toBe(0);

    // Far more than a log behind the log: the room skips it ahead with the screen.
    readsAgain(slow);
    await slow.waitForText("end-42");
    expect(slow.of("reset")).toHaveLength(1);
    expect(slow.discontinuities).toBe(0);
  });

  it("is caught up from the sandbox's recording, byte for byte, when it is less than a log behind the log", async () => {
    const { fast, slow } = await writerAndStalledViewer();
    fast.type("echo rea''dy\r");
    await fast.waitForText("ready");
    await pause(1000); // the room has placed the recording

    fast.type("seq 1 300000; echo end-$((6*7))\r"); // about 2.2 MiB: the log (1 MiB) moves past the slow client
    await fast.waitForText("end-42", 30_000);
    const logStart = fast.nextOffset! - LOG_BYTES;
    const stalledAt = readsAgain(slow);
    expect(logStart).toBeGreaterThan(stalledAt);
    expect(logStart - stalledAt).toBeLessThan(LOG_BYTES);

    await slow.waitForText("end-42");
    expect(slow.of("reset")).toHaveLength(0);
    expect(slow.discontinuities).toBe(0);
    expect(slow.text).toContain(seqOutput(1, 300000) + "end-42\r\n");
  });
});

/** The recording's size and the disk space it takes, as `stat` in the session prints them (after `tag`). */
async function recordingOnDisk(client: Awaited<ReturnType<typeof attach>>, tag: string): Promise<{ size: number; allocated: number }> {
  client.type(`stat -c '${tag}''-%s-%b-%B' ~/.nightona/output.log\r`);
  const pattern = new RegExp(`${tag}-(\\d+)-(\\d+)-(\\d+)`);
  await client.waitFor(`the recording's stat (${tag})`, () => pattern.test(client.text));
  const [, size, blocks, blockBytes] = pattern.exec(client.text)!.map(Number);
  return { size: size!, allocated: blocks! * blockBytes! };
}

describe("the sandbox's recording", () => {
  it("gives back the disk space of output no client can ask for again, and still catches clients up from it", async () => {
    const { fast, slow } = await writerAndStalledViewer();
    slow.acknowledges = true; // it keeps up during the flood
    fast.type("echo rea''dy\r");
    await fast.waitForText("ready");
    await pause(1000); // the room has placed the recording

    // The room keeps four logs' worth (4 MiB here) and discards the rest each time as much again can go: on disk,
    // the recording stays between one and two times that, however long it grows.
    const kept = 4 * LOG_BYTES;
    fast.type("yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 14000000; echo flood-$((6*7))\r");
    await fast.waitForText("flood-42", 30_000);
    let disk = await recordingOnDisk(fast, "first");
    for (let attempt = 0; disk.allocated >= 2 * kept && attempt < 20; attempt++) {
      await pause(250); // the discard runs in the background
      disk = await recordingOnDisk(fast, `again${attempt}`);
    }
    expect(disk.size).toBeGreaterThan(14_000_000);
    expect(disk.allocated).toBeLessThan(2 * kept);
    expect(disk.allocated).toBeGreaterThanOrEqual(kept);

    // The file kept its offsets: a client the log moved past is still caught up from it, byte for byte.
    await slow.waitFor("the viewer to catch up", () => slow.nextOffset === fast.nextOffset);
    const resetsBefore = slow.of("reset").length; // a 1 MiB log may have reset it during the flood
    slow.acknowledges = false;
    fast.type("seq 1 300000; echo end-$((6*7))\r");
    await fast.waitForText("end-42", 30_000);
    const stalledAt = readsAgain(slow);
    expect(fast.nextOffset! - LOG_BYTES).toBeGreaterThan(stalledAt);
    await slow.waitForText("end-42");
    expect(slow.of("reset")).toHaveLength(resetsBefore);
    expect(slow.discontinuities).toBe(0);
    expect(slow.text).toContain(seqOutput(1, 300000) + "end-42\r\n");
  });
});

describe("an idle room", () => {
  it("lets go of the PTY, and the first keystroke wakes it with what ran meanwhile", async () => {
    const session = await createSession();
    const owner = await attach(session.id, session.tokens.owner);
    await owner.waitForRunning();
    owner.type("sleep 5; echo while-$((2*3))-asleep\r");
    await owner.waitFor("asleep", () => owner.phase() === "asleep", 10_000);
    owner.type("\x1b[O"); // the terminal reporting lost focus is not a person typing: it wakes nothing
    await pause(3000);
    expect(owner.text).not.toContain("while-6-asleep");
    expect(owner.phase()).toBe("asleep");

    owner.type("echo awake-$((6*7))\r");
    await owner.waitForText("awake-42");
    expect(owner.of("status").some((status) => status.message === "Waking")).toBe(true);
    expect(owner.text.indexOf("while-6-asleep")).toBeGreaterThan(0);
    expect(owner.text.indexOf("while-6-asleep")).toBeLessThan(owner.text.indexOf("awake-42"));
    expect(owner.discontinuities).toBe(0);
    expect(owner.of("error")).toHaveLength(0);
  });
});

describe("a command that exited", () => {
  it("restarts for a writer, and not for a viewer", async () => {
    const session = await createSession();
    const owner = await attach(session.id, session.tokens.owner);
    const viewer = await attach(session.id, session.tokens.read);
    await owner.waitForRunning();
    owner.sendMessage({ type: "restart" });
    await owner.waitForError("not_ready");
    owner.type("exit 3\r");
    await owner.waitFor("exited", () => owner.phase() === "exited");

    viewer.sendMessage({ type: "restart" });
    await viewer.waitForError("read_only");
    owner.sendMessage({ type: "restart" });
    await owner.waitForRunning();
    owner.type("echo again-$((6*7))\r");
    await owner.waitForText("again-42");
    await viewer.waitForText("again-42");
  });
});
