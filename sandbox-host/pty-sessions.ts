// The PTY sessions of every sandbox, by sandbox id and session id: create, find, list, kill, and drop on stop.
import { daemonError } from "./api-errors";
import { PtySession, type PtySessionSpec } from "./pty-session";

/** How long `abandon` waits for killed processes to be reaped, in ms. */
const REAP_TIMEOUT_MS = 3000;

export class PtySessions {
  /** sandbox id → session id → session */
  #sandboxes = new Map<string, Map<string, PtySession>>();

  get(sandboxId: string, sessionId: string): PtySession | undefined {
    return this.#sandboxes.get(sandboxId)?.get(sessionId);
  }

  list(sandboxId: string): PtySession[] {
    return [...(this.#sandboxes.get(sandboxId)?.values() ?? [])];
  }

  /** Registers a new, not yet started session; 409 in the daemon's shape when the id is taken. */
  create(sandboxId: string, spec: PtySessionSpec): PtySession {
    let sessions = this.#sandboxes.get(sandboxId);
    if (!sessions) {
      sessions = new Map();
      this.#sandboxes.set(sandboxId, sessions);
    }
    if (sessions.has(spec.id)) throw daemonError(409, `PTY session with ID '${spec.id}' already exists`);
    const session = new PtySession(spec, (ended) => this.#forget(sandboxId, ended));
    sessions.set(spec.id, session);
    return session;
  }

  /** Forgets the session at once (its id is free again) and kills its process; false when unknown. */
  kill(sandboxId: string, sessionId: string): boolean {
    const session = this.get(sandboxId, sessionId);
    if (!session) return false;
    this.#forget(sandboxId, session);
    session.kill();
    return true;
  }

  /** Drops every session of a sandbox the way a sandbox stop does, and waits (bounded) for the processes to go. */
  async abandon(sandboxId: string): Promise<void> {
    const sessions = this.list(sandboxId);
    this.#sandboxes.delete(sandboxId);
    for (const session of sessions) session.abandon();
    await settleWithin(
      sessions.map((session) => session.ended),
      REAP_TIMEOUT_MS,
    );
  }

  async abandonAll(): Promise<void> {
    await Promise.all([...this.#sandboxes.keys()].map((sandboxId) => this.abandon(sandboxId)));
  }

  /** Removes the session only if the id still maps to it: a newer session may have reused the id. */
  #forget(sandboxId: string, session: PtySession): void {
    const sessions = this.#sandboxes.get(sandboxId);
    if (sessions?.get(session.id) === session) sessions.delete(session.id);
  }
}

async function settleWithin(promises: Promise<void>[], timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([Promise.all(promises), timeout]);
  clearTimeout(timer);
}
