// `npm run snapshot`: builds the Nightona snapshot in Daytona with live build logs; `-- --print` prints its Dockerfile.
import { parseArgs } from "node:util";
import { Daytona, DaytonaConflictError } from "@daytonaio/sdk";
import { buildImage, SNAPSHOT_NAME, SNAPSHOT_RESOURCES } from "./image";

const USAGE =
  "usage: npm run snapshot [-- --print] [-- --name NAME]\n" +
  "  --print  print the generated Dockerfile and exit (no Daytona account needed)\n" +
  `  --name   snapshot name (default ${SNAPSHOT_NAME})\n` +
  "Building needs DAYTONA_API_KEY (and optionally DAYTONA_API_URL, DAYTONA_TARGET) in the environment.";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      print: { type: "boolean", default: false },
      name: { type: "string", default: SNAPSHOT_NAME },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const image = await buildImage();
  if (values.print) {
    process.stdout.write(image.dockerfile);
    return 0;
  }
  const apiKey = process.env.DAYTONA_API_KEY;
  if (!apiKey) {
    console.error(
      "snapshot: DAYTONA_API_KEY is not set. Create an API key in the Daytona dashboard and run\n" +
        "  DAYTONA_API_KEY=... npm run snapshot\n" +
        "or print the Dockerfile without an account: npm run snapshot -- --print",
    );
    return 2;
  }
  const daytona = new Daytona({
    apiKey,
    apiUrl: process.env.DAYTONA_API_URL || undefined,
    target: process.env.DAYTONA_TARGET || undefined,
  });
  try {
    console.log(`Building snapshot ${values.name} (${SNAPSHOT_RESOURCES.cpu} vCPU, ${SNAPSHOT_RESOURCES.memory} GiB, ${SNAPSHOT_RESOURCES.disk} GiB disk)…`);
    const snapshot = await daytona.snapshot.create(
      { name: values.name, image, resources: { ...SNAPSHOT_RESOURCES } },
      { onLogs: (chunk) => process.stdout.write(chunk.endsWith("\n") ? chunk : `${chunk}\n`), timeout: 0 },
    );
    console.log(`\nSnapshot ${snapshot.name} is ${snapshot.state}. Set it for the Worker:\n  DAYTONA_SNAPSHOT = "${snapshot.name}" in wrangler.toml [vars]`);
    return 0;
  } catch (error) {
    if (error instanceof DaytonaConflictError) {
      console.error(`snapshot: ${values.name} already exists; bump IMAGE_REVISION in snapshot/image.ts or pass --name.`);
      return 1;
    }
    throw error;
  } finally {
    await daytona[Symbol.asyncDispose]().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`snapshot: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
