// Gives a new sandbox's workspace the starter app, from the same template the Daytona snapshot bakes in.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { templateFiles } from "../snapshot/template";

/** Writes the template's files into `workspace` when it is empty (a fresh sandbox); leaves any other folder alone. */
export async function seedWorkspace(workspace: string): Promise<boolean> {
  await mkdir(workspace, { recursive: true });
  if ((await readdir(workspace)).length > 0) return false;
  for (const file of await templateFiles()) {
    const target = join(workspace, ...file.path.split("/"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
  return true;
}
