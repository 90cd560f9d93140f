// The control-plane REST API under /api that the SDK calls: sandbox create/get/list/start/stop/delete, preview links.
import type { IncomingMessage } from "node:http";
import { randomBytes } from "node:crypto";
import { apiError } from "./api-errors";
import { readJsonObject } from "./http-io";
import { previewPath } from "./preview-proxy";
import type { Route, RouteParams } from "./router";
import type { SandboxControl } from "./sandbox-control";
import { isStringMap, type NewSandbox, type SandboxRecord } from "./sandboxes";

/** Valid preview ports. */
const MIN_PORT = 1;
const MAX_PORT = 65535;
/** Lifetime of a signed preview URL when the caller gives none, and its cap, in seconds. */
const DEFAULT_SIGNED_PREVIEW_SECONDS = 60;
const MAX_SIGNED_PREVIEW_SECONDS = 24 * 60 * 60;
/** Resources reported for every local sandbox: vCPUs, GiB of memory, GiB of disk. */
const REPORTED_RESOURCES = { cpu: 1, gpu: 0, memory: 1, disk: 3 } as const;

export interface ApiRequest {
  request: IncomingMessage;
  url: URL;
  params: RouteParams;
  control: SandboxControl;
  /** The host's own origin, e.g. `http://127.0.0.1:4100`. */
  baseUrl: string;
}

/** A JSON reply; `body` undefined sends an empty body. */
export interface ApiReply {
  status: number;
  body?: unknown;
}

export type ApiHandler = (request: ApiRequest) => Promise<ApiReply>;

const ok = (body?: unknown): ApiReply => ({ status: 200, body });

export const apiRoutes: readonly Route<ApiHandler>[] = [
  { method: "POST", pattern: "/sandbox", handler: createSandbox },
  { method: "GET", pattern: "/sandbox", handler: listSandboxes },
  { method: "GET", pattern: "/sandbox/:idOrName", handler: async (r) => ok(sandboxDto(sandbox(r), r.baseUrl)) },
  { method: "DELETE", pattern: "/sandbox/:idOrName", handler: deleteSandbox },
  { method: "POST", pattern: "/sandbox/:idOrName/start", handler: startSandbox },
  { method: "POST", pattern: "/sandbox/:idOrName/recover", handler: startSandbox },
  { method: "POST", pattern: "/sandbox/:idOrName/stop", handler: stopSandbox },
  { method: "PUT", pattern: "/sandbox/:idOrName/labels", handler: replaceLabels },
  { method: "GET", pattern: "/sandbox/:idOrName/ports/:port/preview-url", handler: previewUrl },
  { method: "GET", pattern: "/sandbox/:idOrName/ports/:port/signed-preview-url", handler: signedPreviewUrl },
  { method: "POST", pattern: "/sandbox/:idOrName/ports/:port/signed-preview-url/:token/expire", handler: noop },
  {
    method: "GET",
    pattern: "/sandbox/:idOrName/toolbox-proxy-url",
    handler: async (r) => (sandbox(r), ok({ url: `${r.baseUrl}/toolbox` })),
  },
  { method: "POST", pattern: "/sandbox/:idOrName/autostop/:interval", handler: setIntervalField("autoStopInterval") },
  { method: "POST", pattern: "/sandbox/:idOrName/autoarchive/:interval", handler: setIntervalField("autoArchiveInterval") },
  { method: "POST", pattern: "/sandbox/:idOrName/autodelete/:interval", handler: setIntervalField("autoDeleteInterval") },
  { method: "POST", pattern: "/sandbox/:idOrName/autopause/:interval", handler: noop },
  { method: "POST", pattern: "/sandbox/:idOrName/ttl/:ttlMinutes", handler: noop },
  { method: "POST", pattern: "/sandbox/:idOrName/public/:isPublic", handler: setPublic },
  { method: "POST", pattern: "/sandbox/:idOrName/last-activity", handler: refreshActivity },
];

/** The sandbox DTO (`Sandbox` in @daytona/api-client); list items are the same without `env`. */
export function sandboxDto(record: SandboxRecord, baseUrl: string, withEnv = true): Record<string, unknown> {
  return {
    id: record.id,
    organizationId: "local",
    name: record.name,
    ...(record.snapshot ? { snapshot: record.snapshot } : {}),
    user: record.user,
    ...(withEnv ? { env: { ...record.env } } : {}),
    labels: { ...record.labels },
    public: record.public,
    networkBlockAll: false,
    target: record.target,
    ...REPORTED_RESOURCES,
    state: record.state,
    desiredState: record.state,
    backupState: "None",
    autoStopInterval: record.autoStopInterval,
    autoPauseInterval: 0,
    autoArchiveInterval: record.autoArchiveInterval,
    autoDeleteInterval: record.autoDeleteInterval,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    lastActivityAt: record.lastActivityAt,
    daemonVersion: "nightona-local",
    toolboxProxyUrl: `${baseUrl}/toolbox`,
  };
}

function sandbox(r: ApiRequest): SandboxRecord {
  return r.control.registry.get(r.params.idOrName ?? "");
}

async function noop(r: ApiRequest): Promise<ApiReply> {
  sandbox(r);
  return ok();
}

async function createSandbox(r: ApiRequest): Promise<ApiReply> {
  const body = await readJsonObject(r.request);
  const record = await r.control.create(parseNewSandbox(body));
  return ok(sandboxDto(record, r.baseUrl));
}

async function listSandboxes(r: ApiRequest): Promise<ApiReply> {
  const query = r.url.searchParams;
  const labels = parseLabelsQuery(query.get("labels"));
  const id = query.get("id");
  const name = query.get("name");
  const states = query
    .getAll("states")
    .flatMap((value) => value.split(","))
    .filter(Boolean);
  const items = r.control.registry
    .list()
    .filter((record) => !id || record.id === id)
    .filter((record) => !name || record.name.startsWith(name))
    .filter((record) => states.length === 0 || states.includes(record.state))
    .filter((record) => Object.entries(labels).every(([key, value]) => record.labels[key] === value))
    .map((record) => sandboxDto(record, r.baseUrl, false));
  return ok({ items, nextCursor: null });
}

async function deleteSandbox(r: ApiRequest): Promise<ApiReply> {
  const record = sandbox(r);
  await r.control.remove(record);
  return ok({ ...sandboxDto(record, r.baseUrl), state: "destroyed", desiredState: "destroyed" });
}

async function startSandbox(r: ApiRequest): Promise<ApiReply> {
  return ok(sandboxDto(await r.control.start(sandbox(r)), r.baseUrl));
}

async function stopSandbox(r: ApiRequest): Promise<ApiReply> {
  return ok(sandboxDto(await r.control.stop(sandbox(r)), r.baseUrl));
}

async function replaceLabels(r: ApiRequest): Promise<ApiReply> {
  const record = sandbox(r);
  const body = await readJsonObject(r.request);
  if (!isStringMap(body.labels)) throw apiError(400, "labels must be an object of strings");
  const updated = await r.control.registry.update(record.id, { labels: { ...body.labels } });
  return ok({ labels: { ...updated.labels } });
}

async function previewUrl(r: ApiRequest): Promise<ApiReply> {
  const record = sandbox(r);
  const port = parsePort(r.params.port);
  return ok({ sandboxId: record.id, url: previewBase(r, record, port), token: record.token });
}

async function signedPreviewUrl(r: ApiRequest): Promise<ApiReply> {
  const record = sandbox(r);
  const port = parsePort(r.params.port);
  const seconds = Number(r.url.searchParams.get("expiresInSeconds") ?? DEFAULT_SIGNED_PREVIEW_SECONDS);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_SIGNED_PREVIEW_SECONDS) {
    throw apiError(400, `expiresInSeconds must be an integer from 1 to ${MAX_SIGNED_PREVIEW_SECONDS}`);
  }
  const token = randomBytes(16).toString("base64url");
  return ok({ sandboxId: record.id, port, token, url: previewBase(r, record, port) });
}

function setIntervalField(field: "autoStopInterval" | "autoArchiveInterval" | "autoDeleteInterval"): ApiHandler {
  return async (r) => {
    const record = sandbox(r);
    const minutes = Number(r.params.interval);
    if (!Number.isInteger(minutes)) throw apiError(400, `${field} must be an integer number of minutes`);
    await r.control.registry.update(record.id, { [field]: minutes });
    return ok();
  };
}

async function setPublic(r: ApiRequest): Promise<ApiReply> {
  const record = sandbox(r);
  const value = r.params.isPublic;
  if (value !== "true" && value !== "false") throw apiError(400, "isPublic must be true or false");
  await r.control.registry.update(record.id, { public: value === "true" });
  return ok();
}

async function refreshActivity(r: ApiRequest): Promise<ApiReply> {
  const record = sandbox(r);
  await r.control.registry.update(record.id, { lastActivityAt: new Date().toISOString() });
  return ok();
}

function previewBase(r: ApiRequest, record: SandboxRecord, port: number): string {
  return r.baseUrl + previewPath(record.id, port);
}

function parsePort(value: string | undefined): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) {
    throw apiError(400, `Port must be an integer from ${MIN_PORT} to ${MAX_PORT}`);
  }
  return port;
}

function parseLabelsQuery(value: string | null): Record<string, string> {
  if (!value) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw apiError(400, "labels must be a JSON object of strings");
  }
  if (!isStringMap(parsed)) throw apiError(400, "labels must be a JSON object of strings");
  return parsed;
}

/** Validates the `CreateSandbox` body fields the local host uses; the rest (resources, volumes, …) are ignored. */
function parseNewSandbox(body: Record<string, unknown>): NewSandbox {
  const params: NewSandbox = {};
  const name = optional(body, "name", "string");
  if (name !== undefined) {
    if (!/^[^\s/\\]{1,255}$/u.test(name)) throw apiError(400, "name must be 1-255 characters without spaces or slashes");
    params.name = name;
  }
  for (const field of ["labels", "env"] as const) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (!isStringMap(value)) throw apiError(400, `${field} must be an object of strings`);
    params[field] = { ...value };
  }
  for (const field of ["user", "target", "snapshot"] as const) {
    const value = optional(body, field, "string");
    if (value !== undefined) params[field] = value;
  }
  const isPublic = optional(body, "public", "boolean");
  if (isPublic !== undefined) params.public = isPublic;
  for (const field of ["autoStopInterval", "autoArchiveInterval", "autoDeleteInterval"] as const) {
    const value = optional(body, field, "number");
    if (value === undefined) continue;
    if (!Number.isInteger(value)) throw apiError(400, `${field} must be an integer number of minutes`);
    params[field] = value;
  }
  return params;
}

type TypeName = { string: string; number: number; boolean: boolean };

function optional<K extends keyof TypeName>(body: Record<string, unknown>, field: string, type: K): TypeName[K] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) throw apiError(400, `${field} must be a ${type}`);
  return value as TypeName[K];
}

