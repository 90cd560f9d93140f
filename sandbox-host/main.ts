// CLI for the local sandbox host: `tsx sandbox-host/main.ts --port 0 --data .nightona/sandboxes [--host H] [--shell S] [--path DIR]...`
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { startSandboxHost } from "./server";

const USAGE =
  "usage: tsx sandbox-host/main.ts [--port N] [--host ADDR] [--data DIR] [--shell SHELL] [--path DIR]... [--no-dev-servers]\n" +
  "  --port   TCP port, 0 for a free one (default 0)\n" +
  "  --host   interface to listen on (default 127.0.0.1)\n" +
  "  --data   folder for sandbox records, workspaces and homes (default .nightona/sandboxes)\n" +
  "  --shell  login shell for PTYs (default bash)\n" +
  "  --path   directory to put in front of PATH inside sandboxes; repeatable\n" +
  "  --no-dev-servers  do not run each sandbox's app dev server (its preview answers 502)";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      data: { type: "string", default: ".nightona/sandboxes" },
      shell: { type: "string" },
      path: { type: "string", multiple: true },
      "no-dev-servers": { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);

  const host = await startSandboxHost({
    port,
    host: values.host,
    dataDir: resolve(values.data),
    ...(values.shell ? { shell: values.shell } : {}),
    extraPath: (values.path ?? []).map((dir) => resolve(dir)),
    devServers: !values["no-dev-servers"],
  });
  console.log(`sandbox host listening on ${host.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`sandbox host: close after ${signal} failed:`, error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`sandbox host: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(1);
});
