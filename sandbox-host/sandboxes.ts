// The sandbox registry: records, their folders under dataDir, name uniqueness, state, and persistence to JSON.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { apiError } from "./api-errors";
import { isRecord } from "./http-io";

/** File in dataDir that holds every sandbox record. */
export const RECORDS_FILE = "sandboxes.json";
const RECORDS_VERSION = 1;
/** Random bytes in a sandbox auth token (the port-1 preview token). */
const TOKEN_BYTES = 24;
/** Daytona's default auto-stop interval, in minutes; the local host records it but never stops a sandbox. */
const DEFAULT_AUTO_STOP_MINUTES = 15;
/** Daytona's default auto-archive interval (7 days), in minutes. */
const DEFAULT_AUTO_ARCHIVE_MINUTES = 7 * 24 * 60;

export type SandboxState = "started" | "stopped";

export interface SandboxRecord {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** Env vars given at creation (`envVars`); every PTY of the sandbox gets them. */
  env: Record<string, string>;
  user: string;
  public: boolean;
  target: string;
  snapshot?: string;
  state: SandboxState;
  /** Auth token for preview links and PTY WebSockets (`DAYTONA_SANDBOX_AUTH_KEY`); new on every start. */
  token: string;
  /** Minutes. */
  autoStopInterval: number;
  /** Minutes. */
  autoArchiveInterval: number;
  /** Minutes; -1 disables. */
  autoDeleteInterval: number;
  /** ISO 8601 times. */
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
}

export interface NewSandbox {
  name?: string;
  labels?: Record<string, string>;
  env?: Record<string, string>;
  user?: string;
  public?: boolean;
  target?: string;
  snapshot?: string;
  autoStopInterval?: number;
  autoArchiveInterval?: number;
  autoDeleteInterval?: number;
}

/** The folders of one sandbox. */
export interface SandboxPaths {
  root: string;
  /** The PTY's working directory, where Claude's tool calls act. */
  workspace: string;
  /** HOME of the PTY. */
  home: string;
}

export class SandboxRegistry {
  #records = new Map<string, SandboxRecord>();
  #saving: Promise<void> = Promise.resolve();

  private constructor(readonly dataDir: string) {}

  /** Loads the records of an earlier run; their PTYs died with that run, so every sandbox comes back stopped. */
  static async open(dataDir: string): Promise<SandboxRegistry> {
    await mkdir(dataDir, { recursive: true });
    const registry = new SandboxRegistry(dataDir);
    for (const record of await loadRecords(join(dataDir, RECORDS_FILE))) {
      registry.#records.set(record.id, { ...record, state: "stopped" });
    }
    return registry;
  }

  paths(id: string): SandboxPaths {
    const root = join(this.dataDir, id);
    return { root, workspace: join(root, "workspace"), home: join(root, "home") };
  }

  /** Finds a sandbox by id, else by name. */
  find(idOrName: string): SandboxRecord | undefined {
    const byId = this.#records.get(idOrName);
    if (byId) return byId;
    for (const record of this.#records.values()) if (record.name === idOrName) return record;
    return undefined;
  }

  /** Like `find`, but a 404 in the API's shape when missing. */
  get(idOrName: string): SandboxRecord {
    const record = this.find(idOrName);
    if (!record) throw apiError(404, `Sandbox with ID or name ${idOrName} not found`);
    return record;
  }

  list(): SandboxRecord[] {
    return [...this.#records.values()];
  }

  /** Creates the record and its folders, started; 409 when the name is taken. */
  async create(params: NewSandbox): Promise<SandboxRecord> {
    const id = randomUUID();
    const name = params.name || id;
    if (this.find(name)) throw apiError(409, `Sandbox with name ${name} already exists`);
    const now = new Date().toISOString();
    const record: SandboxRecord = {
      id,
      name,
      labels: { ...params.labels },
      env: { ...params.env },
      user: params.user || "daytona",
      public: params.public ?? false,
      target: params.target || "local",
      ...(params.snapshot ? { snapshot: params.snapshot } : {}),
      state: "started",
      token: newToken(),
      autoStopInterval: params.autoStopInterval ?? DEFAULT_AUTO_STOP_MINUTES,
      autoArchiveInterval: params.autoArchiveInterval ?? DEFAULT_AUTO_ARCHIVE_MINUTES,
      autoDeleteInterval: params.autoDeleteInterval ?? -1,
      createdAt: now,
      updatedAt: now,
      lastActivityAt: now,
    };
    // Registered before the first await, so a concurrent create with the same name sees it.
    this.#records.set(id, record);
    try {
      const paths = this.paths(id);
      await mkdir(paths.workspace, { recursive: true });
      await mkdir(paths.home, { recursive: true });
      await this.#save();
    } catch (error) {
      await this.remove(id).catch(() => undefined);
      throw error;
    }
    return record;
  }

  /** Applies a change to a record, stamps `updatedAt` and persists. */
  async update(id: string, change: Partial<Omit<SandboxRecord, "id" | "createdAt">>): Promise<SandboxRecord> {
    const record = this.get(id);
    Object.assign(record, change, { updatedAt: new Date().toISOString() });
    await this.#save();
    return record;
  }

  /** Moves to `state`; a start also issues a new auth token, as Daytona does. */
  async setState(id: string, state: SandboxState): Promise<SandboxRecord> {
    const record = this.get(id);
    if (record.state === state) return record;
    return this.update(id, state === "started" ? { state, token: newToken() } : { state });
  }

  /** Forgets the sandbox and deletes its folders. */
  async remove(id: string): Promise<void> {
    this.#records.delete(id);
    await this.#save();
    await rm(this.paths(id).root, { recursive: true, force: true });
  }

  /** Resolves once every change so far is on disk. */
  flush(): Promise<void> {
    return this.#saving;
  }

  /** Writes all records atomically (temp file + rename); writes are serialized in call order. */
  #save(): Promise<void> {
    const text = JSON.stringify({ version: RECORDS_VERSION, sandboxes: this.list() }, null, 2);
    const file = join(this.dataDir, RECORDS_FILE);
    const next = this.#saving.then(async () => {
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, text);
      await rename(temp, file);
    });
    this.#saving = next.catch(() => undefined);
    return next;
  }
}

function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

async function loadRecords(file: string): Promise<SandboxRecord[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (isRecord(error) && error.code === "ENOENT") return [];
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON; fix or remove it`);
  }
  const entries = isRecord(parsed) && Array.isArray(parsed.sandboxes) ? parsed.sandboxes : [];
  return entries.filter(isSandboxRecord);
}

function isSandboxRecord(value: unknown): value is SandboxRecord {
  return (
    isRecord(value) &&
    typeof value.id === "string" &&
    /^[A-Za-z0-9-]+$/.test(value.id) &&
    typeof value.name === "string" &&
    typeof value.token === "string" &&
    isStringMap(value.labels) &&
    isStringMap(value.env) &&
    typeof value.createdAt === "string"
  );
}

export function isStringMap(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((entry) => typeof entry === "string");
}
