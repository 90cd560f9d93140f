// POST /process/execute: runs one command in the sandbox and answers with its exit code and output, as Daytona's
// daemon does: the command is split into words and run without a shell (callers wrap pipes in `sh -c '…'`).
import { execFile } from "node:child_process";
import { parse } from "shell-quote";
import { daemonError } from "./api-errors";
import type { ApiReply } from "./api-routes";
import { readJsonObject } from "./http-io";
import { resolveCwd } from "./sandbox-shell";
import type { ToolboxRequest } from "./toolbox-routes";

/** Output kept per call; Daytona buffers the whole output too, but a stand-in need not hold more. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/** Used when the request names no timeout, in seconds. */
const DEFAULT_TIMEOUT_S = 360;

export async function executeCommand(r: ToolboxRequest): Promise<ApiReply> {
  const body = await readJsonObject(r.request);
  if (typeof body.command !== "string" || body.command.trim() === "") throw daemonError(400, "command is required");
  const words = parse(body.command);
  if (!words.every((word): word is string => typeof word === "string")) {
    throw daemonError(400, "command may not contain shell operators; wrap it in sh -c");
  }
  const timeout = typeof body.timeout === "number" && body.timeout > 0 ? body.timeout : DEFAULT_TIMEOUT_S;
  const cwd = resolveCwd(r.control.registry.paths(r.sandbox.id).workspace, typeof body.cwd === "string" ? body.cwd : undefined);
  const envs = body.envs && typeof body.envs === "object" ? (body.envs as Record<string, string>) : {};
  const [file, ...args] = words;
  const outcome = await new Promise<{ exitCode: number; result: string }>((resolve) => {
    execFile(
      file!,
      args,
      { cwd, env: { ...r.control.baseEnv(r.sandbox), ...envs }, timeout: timeout * 1000, maxBuffer: MAX_OUTPUT_BYTES, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === "number" ? error.code : error ? 1 : 0;
        resolve({ exitCode: code, result: stdout + stderr });
      },
    );
  });
  return { status: 200, body: outcome };
}
