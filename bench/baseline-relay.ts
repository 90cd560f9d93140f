// The benchmark's baseline: the least a web terminal can do. A `ws` server that runs a PTY per session and relays raw
// bytes both ways as binary frames, with no protocol, no log, no hops. Shell and env in the sandbox host's style.
// With `?record=1` a session's shell runs under `script` writing a recording, as the stack's sandbox PTY does: the
// least a terminal that keeps every byte in the sandbox can do.
import { accessSync, constants } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { delimiter, join } from "node:path";
import type { AddressInfo } from "node:net";
import { type IPty, spawn } from "node-pty";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import { killProcessTree } from "../sandbox-host/pty-session";

export interface BaselineRelay {
  /**
   * `ws://127.0.0.1:PORT`; connect to `${url}/?session=NAME` (sockets with the same name share one PTY), adding
   * `&record=1` for a shell under `script` (the session's first socket decides).
   */
  url: string;
  /** Kills every PTY and closes every socket and the server. */
  close(): Promise<void>;
}

export interface BaselineRelayOptions {
  /** Folder for the shell's home and working directory. */
  workDir: string;
  /** Login shell, default `bash`. */
  shell?: string;
  cols?: number;
  rows?: number;
}

interface Session {
  pty: IPty;
  clients: Set<WebSocket>;
}

/** The sandbox host's prompt and profile, so both shells print the same. */
const BASHRC = "PS1='\\w \\$ '\nHISTCONTROL=ignoreboth\n";
const BASH_PROFILE = 'if [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi\n';

export async function startBaselineRelay(options: BaselineRelayOptions): Promise<BaselineRelay> {
  const home = join(options.workDir, "home");
  const cwd = join(options.workDir, "workspace");
  await mkdir(home, { recursive: true });
  await mkdir(cwd, { recursive: true });
  await writeFile(join(home, ".bashrc"), BASHRC);
  await writeFile(join(home, ".bash_profile"), BASH_PROFILE);
  const recordings = join(options.workDir, "recordings");
  await mkdir(recordings, { recursive: true });
  const shell = resolveShell(options.shell ?? "bash");
  const env = cleanEnv(home, shell);
  const sessions = new Map<string, Session>();
  let anonymous = 0;

  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((done, fail) => {
    server.once("listening", () => done());
    server.once("error", fail);
  });

  server.on("connection", (ws, request) => {
    const url = new URL(request.url ?? "/", "ws://relay");
    const name = url.searchParams.get("session") ?? `anonymous-${++anonymous}`;
    let session = sessions.get(name);
    if (!session) {
      // The stack's recording: `script -qfe`, flushing each write, with the shell on a PTY of its own.
      const recorded = url.searchParams.get("record") === "1";
      const [file, args] = recorded
        ? ["script", ["-qfe", "-c", `${shell} -i -l`, join(recordings, `${encodeURIComponent(name)}.log`)]]
        : [shell, ["-i", "-l"]];
      const pty = spawn(file, args, {
        name: "xterm-256color",
        cols: Number(url.searchParams.get("cols")) || options.cols || 120,
        rows: Number(url.searchParams.get("rows")) || options.rows || 32,
        cwd,
        env,
        encoding: null,
      });
      const created: Session = { pty, clients: new Set() };
      pty.onData((data: string | Buffer) => {
        const bytes = typeof data === "string" ? Buffer.from(data) : data;
        for (const client of created.clients) if (client.readyState === WebSocket.OPEN) client.send(bytes, { binary: true });
      });
      pty.onExit(() => {
        sessions.delete(name);
        for (const client of created.clients) client.close(1000);
      });
      sessions.set(name, created);
      session = created;
    }
    const joined = session;
    joined.clients.add(ws);
    ws.on("message", (data: RawData) => {
      joined.pty.write(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data));
    });
    ws.on("close", () => {
      joined.clients.delete(ws);
      // One PTY per connection (or per shared session): it goes when its last socket goes.
      if (joined.clients.size === 0 && sessions.get(name) === joined) {
        sessions.delete(name);
        killProcessTree(joined.pty);
      }
    });
    ws.on("error", () => ws.terminate());
  });

  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const session of sessions.values()) killProcessTree(session.pty);
      sessions.clear();
      for (const client of server.clients) client.terminate();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** Like the sandbox host's: nothing of this process's env leaks in except PATH. */
function cleanEnv(home: string, shell: string): Record<string, string> {
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    user = undefined;
  }
  return {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    SHELL: shell,
    ...(user ? { USER: user, LOGNAME: user } : {}),
    TERM: "xterm-256color",
    COLORTERM: "truecolor",
    LANG: "C.UTF-8",
  };
}

function resolveShell(shell: string): string {
  if (shell.includes("/")) return shell;
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, shell), constants.X_OK);
      return join(dir, shell);
    } catch {
      // Try the next directory.
    }
  }
  throw new Error(`baseline relay: shell ${JSON.stringify(shell)} not found on PATH`);
}
