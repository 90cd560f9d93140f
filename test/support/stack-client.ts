// Node clients of a running stack, for integration tests and benchmarks: the HTTP API and `ws` sockets as a browser would use them.
import WebSocket from "ws";
import { TestClient } from "./test-client";

export interface SessionLinks {
  id: string;
  tokens: { owner: string; write: string; read: string };
}

export async function createSession(baseUrl: string, body: Record<string, unknown> = {}): Promise<SessionLinks> {
  const response = await fetch(`${baseUrl}/api/sessions`, { method: "POST", body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  const { id, links } = (await response.json()) as { id: string; links: Record<"owner" | "write" | "read", string> };
  const token = (link: string): string => new URL(link).hash.replace("#token=", "");
  return { id, tokens: { owner: token(links.owner), write: token(links.write), read: token(links.read) } };
}

export async function issueTicket(baseUrl: string, id: string, token: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/sessions/${id}/tickets`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 200) throw new Error(`ticket failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { ticket: string }).ticket;
}

/**
 * Opens a session socket with the page's Origin. `listen` runs before the handshake completes: the room sends
 * `hello` and the replay right after it, in the same packets as the 101 response, so later listeners miss them.
 */
export async function openSocket(
  baseUrl: string,
  id: string,
  token: string,
  query = "",
  listen?: (socket: WebSocket) => void,
): Promise<WebSocket> {
  const ticket = await issueTicket(baseUrl, id, token);
  const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/api/sessions/${id}/ws?ticket=${ticket}${query}`, {
    origin: baseUrl,
  });
  socket.binaryType = "arraybuffer";
  listen?.(socket);
  await new Promise<void>((done, fail) => {
    socket.once("open", () => done());
    socket.once("error", fail);
  });
  return socket;
}

export async function attach(baseUrl: string, id: string, token: string, query = ""): Promise<TestClient> {
  let client: TestClient | undefined;
  await openSocket(baseUrl, id, token, query, (socket) => {
    client = new TestClient(socket);
    const receiver = client;
    // With binaryType "arraybuffer", ws hands text frames over as ArrayBuffers too; isBinary tells them apart.
    socket.on("message", (data: ArrayBuffer, isBinary: boolean) =>
      receiver.receive(isBinary ? data : Buffer.from(data).toString("utf8")),
    );
    socket.on("close", (code, reason) => receiver.closedWith(code, reason.toString()));
  });
  return client!;
}
