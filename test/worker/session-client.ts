// Test helper inside workerd: creates sessions through the Worker and attaches WebSocket clients that record what they get.
import { exports } from "cloudflare:workers";
import { decodeServerFrame, encodeInput, type ServerMessage } from "../../parsers/protocol";

export const ORIGIN = "http://nightona.test";
const WAIT_MS = 15_000;

export function api(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(`${ORIGIN}${path}`, init);
}

export interface CreatedSession {
  id: string;
  tokens: { owner: string; write: string; read: string };
}

export async function createSession(body: unknown = { command: "bash" }): Promise<CreatedSession> {
  const response = await api("/api/sessions", { method: "POST", body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  const { id, links } = await response.json<{ id: string; links: Record<"owner" | "write" | "read", string> }>();
  const token = (link: string): string => new URL(link).hash.replace("#token=", "");
  return { id, tokens: { owner: token(links.owner), write: token(links.write), read: token(links.read) } };
}

export async function issueTicket(id: string, token: string): Promise<string> {
  const response = await api(`/api/sessions/${id}/tickets`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 200) throw new Error(`ticket failed: ${response.status} ${await response.text()}`);
  return (await response.json<{ ticket: string }>()).ticket;
}

export function upgrade(id: string, query: string, origin = ORIGIN): Promise<Response> {
  return api(`/api/sessions/${id}/ws?${query}`, { headers: { upgrade: "websocket", origin } });
}

/** A browser stand-in: records every message, decodes output into text, waits for conditions. */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  readonly decoder = new TextDecoder();
  text = "";
  nextOffset: number | null = null;
  closed: { code: number; reason: string } | null = null;

  constructor(readonly socket: WebSocket) {
    socket.addEventListener("message", (event) => {
      const frame = decodeServerFrame(event.data as string | ArrayBuffer);
      if (!frame) return;
      if (frame.type === "output") {
        this.nextOffset = frame.offset + frame.data.byteLength;
        this.text += this.decoder.decode(frame.data, { stream: true });
      } else {
        this.messages.push(frame);
      }
    });
    socket.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
    });
  }

  static async attach(id: string, token: string, query = ""): Promise<TestClient> {
    const ticket = await issueTicket(id, token);
    const response = await upgrade(id, `ticket=${ticket}${query}`);
    const socket = response.webSocket;
    if (!socket) throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
    socket.binaryType = "arraybuffer";
    socket.accept();
    return new TestClient(socket);
  }

  of<T extends ServerMessage["type"]>(type: T): Array<Extract<ServerMessage, { type: T }>> {
    return this.messages.filter((message): message is Extract<ServerMessage, { type: T }> => message.type === type);
  }

  type(text: string): void {
    this.socket.send(encodeInput(new TextEncoder().encode(text)));
  }

  async waitFor(what: string, condition: () => boolean): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!condition()) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; messages: ${JSON.stringify(this.messages)}; text: ${JSON.stringify(this.text.slice(-500))}`);
      }
      await new Promise((done) => setTimeout(done, 20));
    }
  }

  waitForText(needle: string): Promise<void> {
    return this.waitFor(JSON.stringify(needle), () => this.text.includes(needle));
  }

  waitForRunning(): Promise<void> {
    return this.waitFor("status running", () => this.phase() === "running");
  }

  /** The session phase as last reported, by `hello` or a later `status`. */
  phase(): string | undefined {
    const statuses = this.messages.flatMap((message) =>
      message.type === "status" ? [message.phase] : message.type === "hello" ? [message.status.phase] : [],
    );
    return statuses.at(-1);
  }

  async waitForError(code: string, count = 1): Promise<void> {
    await this.waitFor(`${count} error(s) ${code}`, () => this.of("error").filter((error) => error.code === code).length >= count);
  }
}
