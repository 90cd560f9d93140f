// A private copy of what the stack runs (Worker, codec, sandbox host, launcher, config, assets), so that edits made
// in the working tree during a benchmark do not make `wrangler dev` rebuild and reload mid-run (a reload drops every
// socket). The copy shares the tree's node_modules through a symlink. The benchmark measures the tree as it was at start.
import { cp, mkdir, symlink } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Paths (relative to the repository root) the stack needs at run time. */
const STACK_PATHS = [
  "package.json",
  "tsconfig.json",
  "tsconfig.base.json",
  "wrangler.toml",
  "worker",
  "parsers",
  "sandbox-host",
  "snapshot",
  "scripts",
  "dist",
] as const;

/** Copies the stack's sources from `root` into `dest` and returns `dest`. */
export async function snapshotStack(root: string, dest: string): Promise<string> {
  await mkdir(dest, { recursive: true });
  for (const path of STACK_PATHS) {
    const from = join(root, path);
    if (!existsSync(from)) continue;
    await cp(from, join(dest, path), { recursive: true, filter: (source) => !source.endsWith(".test.ts") });
  }
  // wrangler.toml names ./dist as the assets folder; an empty one will do when the page was never built.
  await mkdir(join(dest, "dist"), { recursive: true });
  await symlink(join(root, "node_modules"), join(dest, "node_modules"), "dir");
  return dest;
}
