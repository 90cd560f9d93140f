// A tiny stdio MCP server for recordings: one tool, `get_weather`, answering from a table (JSON-RPC, one message per line).
import { createInterface } from "node:readline";

const PROTOCOL_VERSION = "2025-06-18";
const TOOL = {
  name: "get_weather",
  description: "Current weather for a city",
  inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

function reply(id, result) {
  process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id, result })}\n`);
}

createInterface({ input: process.stdin }).on("line", (line) => {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  if (message.id === undefined) return; // notifications need no answer
  switch (message.method) {
    case "initialize":
      return reply(message.id, { protocolVersion: message.params?.protocolVersion ?? PROTOCOL_VERSION, capabilities: { tools: {} }, serverInfo: { name: "weather", version: "1.0.0" } });
    case "tools/list":
      return reply(message.id, { tools: [TOOL] });
    case "tools/call": {
      const city = String(message.params?.arguments?.city ?? "nowhere");
      const unknown = city === "Atlantis";
      return reply(message.id, { content: [{ type: "text", text: unknown ? `No weather for ${city}` : `Sunny, 21C in ${city}` }], isError: unknown });
    }
    default:
      process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "Method not found" } })}\n`);
  }
});
