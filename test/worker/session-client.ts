// Test helper inside workerd: creates sessions through the Worker and attaches WebSocket clients that record what they get.
import { exports } from "cloudflare:workers";
import { TestClient } from "../support/test-client";
import { TEST_ADMIN_TOKEN } from "./test-secrets";

export const ORIGIN = "http://nightona.test";
/** The operator's authorization, needed to create sessions on a host that is not local. */
export const AS_OPERATOR = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

export function api(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(`${ORIGIN}${path}`, init);
}

export interface CreatedSession {
  id: string;
  tokens: { owner: string; write: string; read: string };
}

export async function createSession(body: unknown = { command: "bash" }): Promise<CreatedSession> {
  const response = await api("/api/sessions", { method: "POST", headers: AS_OPERATOR, body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  const { id, links } = await response.json<{ id: string; links: Record<"owner" | "write" | "read", string> }>();
  const token = (link: string): string => new URL(link).hash.replace("#token=", "");
  return { id, tokens: { owner: token(links.owner), write: token(links.write), read: token(links.read) } };
}

export async function issueTicket(id: string, token: string, name?: string): Promise<string> {
  const response = await api(`/api/sessions/${id}/tickets`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: name === undefined ? undefined : JSON.stringify({ name }),
  });
  if (response.status !== 200) throw new Error(`ticket failed: ${response.status} ${await response.text()}`);
  return (await response.json<{ ticket: string }>()).ticket;
}

export function upgrade(id: string, query: string, origin = ORIGIN): Promise<Response> {
  return api(`/api/sessions/${id}/ws?${query}`, { headers: { upgrade: "websocket", origin } });
}

/** Attaches a TestClient through the Worker's door, as a browser on the page's origin would. */
export async function attach(id: string, token: string, query = "", name?: string): Promise<TestClient> {
  const ticket = await issueTicket(id, token, name);
  const response = await upgrade(id, `ticket=${ticket}${query}`);
  const socket = response.webSocket;
  if (!socket) throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
  socket.binaryType = "arraybuffer";
  socket.accept();
  const client = new TestClient(socket);
  socket.addEventListener("message", (event) => client.receive(event.data as string | ArrayBuffer));
  socket.addEventListener("close", (event) => client.closedWith(event.code, event.reason));
  return client;
}
