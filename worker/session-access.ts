// Who may use a session: the current link generation of each role, and the tickets already used, kept in the room's storage.
import type { Role } from "../parsers/protocol";

/** Link generation per role; a token of an older generation no longer works. */
export type Generations = Record<Role, number>;

export const FIRST_GENERATIONS: Generations = { owner: 1, writer: 1, viewer: 1 };

/** The storage calls this needs (a Durable Object's storage has them). */
export interface AccessStorage {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
  delete(keys: string[]): Promise<number>;
  list<T>(options: { prefix: string }): Promise<Map<string, T>>;
}

const GENERATIONS_KEY = "generations";
const NONCE_PREFIX = "nonce:";
/** The storage API deletes at most this many keys per call. */
const DELETE_BATCH = 128;

export class SessionAccess {
  private constructor(
    private readonly storage: AccessStorage,
    private generations: Generations,
  ) {}

  static async load(storage: AccessStorage): Promise<SessionAccess> {
    return new SessionAccess(storage, (await storage.get<Generations>(GENERATIONS_KEY)) ?? { ...FIRST_GENERATIONS });
  }

  current(role: Role): number {
    return this.generations[role];
  }

  isCurrent(role: Role, generation: number): boolean {
    return this.generations[role] === generation;
  }

  /** Starts a new generation of links for `role`: every older token and ticket of that role stops working. */
  async rotate(role: Role): Promise<number> {
    this.generations = { ...this.generations, [role]: this.generations[role] + 1 };
    await this.storage.put(GENERATIONS_KEY, this.generations);
    return this.generations[role];
  }

  /** Marks a ticket's nonce used; false if it was used before. Expired nonces are pruned on the way. */
  async consumeNonce(nonce: string, expiresAt: number, now = Date.now()): Promise<boolean> {
    const key = NONCE_PREFIX + nonce;
    if ((await this.storage.get<number>(key)) !== undefined) return false;
    await this.storage.put(key, expiresAt);
    await this.#prune(now);
    return true;
  }

  async #prune(now: number): Promise<void> {
    const used = await this.storage.list<number>({ prefix: NONCE_PREFIX });
    const expired = [...used].filter(([, expiresAt]) => expiresAt < now).map(([key]) => key);
    for (let at = 0; at < expired.length; at += DELETE_BATCH) await this.storage.delete(expired.slice(at, at + DELETE_BATCH));
  }
}
