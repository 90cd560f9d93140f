// The starter app every sandbox's workspace begins with (snapshot/template/), read from this repository.
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The template's folder in this repository. */
export const TEMPLATE_DIR = fileURLToPath(new URL("./template", import.meta.url));
/** Folders a template copy never includes: installed packages and build output. */
const SKIPPED_DIRS = new Set(["node_modules", "dist"]);

export interface TemplateFile {
  /** Path inside the app folder, with `/` separators (e.g. `src/main.js`). */
  path: string;
  content: string;
}

/** Every file of the template, sorted by path. */
export async function templateFiles(dir = TEMPLATE_DIR): Promise<TemplateFile[]> {
  const files: TemplateFile[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const path = relative(dir, full).split(sep).join("/");
    if (path.split("/").some((part) => SKIPPED_DIRS.has(part))) continue;
    files.push({ path, content: await readFile(full, "utf8") });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
