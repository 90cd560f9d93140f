// Unit tests for Daytona's PTY WebSocket vocabulary: subprotocol choice, envs token, exit framing, size parsing.
import { describe, expect, it } from "vitest";
import { HttpError } from "./api-errors";
import {
  decodeEnvsSubprotocol,
  exitClose,
  exitCodeOf,
  exitedFrame,
  offeredSubprotocols,
  parseTerminalSize,
  pickSubprotocol,
} from "./pty-protocol";

const envsToken = (value: unknown): string =>
  `X-Daytona-Pty-Envs~${Buffer.from(JSON.stringify(value)).toString("base64url")}`;

describe("pty protocol", () => {
  it("echoes the SDK-version token when offered, else Exit-Control, else nothing", () => {
    expect(pickSubprotocol(offeredSubprotocols("X-Daytona-Pty-Exit-Control, X-Daytona-SDK-Version~0.218.0"))).toBe(
      "X-Daytona-SDK-Version~0.218.0",
    );
    expect(pickSubprotocol(offeredSubprotocols(`${envsToken({ A: "1" })},X-Daytona-Pty-Exit-Control`))).toBe(
      "X-Daytona-Pty-Exit-Control",
    );
    expect(pickSubprotocol(offeredSubprotocols(undefined))).toBe(false);
  });

  it("decodes the envs token and rejects bad keys, values and encodings with 400", () => {
    expect(decodeEnvsSubprotocol(new Set([envsToken({ FOO: "bar", EMPTY: "" })]))).toEqual({ FOO: "bar", EMPTY: "" });
    expect(decodeEnvsSubprotocol(new Set(["X-Daytona-Pty-Exit-Control"]))).toEqual({});
    for (const bad of [{ "A=B": "x" }, { "": "x" }, { A: 1 }, ["x"], "text"]) {
      expect(() => decodeEnvsSubprotocol(new Set([envsToken(bad)]))).toThrow(HttpError);
    }
    expect(() => decodeEnvsSubprotocol(new Set(["X-Daytona-Pty-Envs~***"]))).toThrow(/base64url/);
  });

  it("frames exits as the daemon does", () => {
    expect(JSON.parse(exitedFrame(0))).toEqual({ type: "control", status: "exited", exitCode: 0 });
    expect(JSON.parse(exitedFrame(137))).toEqual({ type: "control", status: "exited", exitCode: 137, exitReason: "SIGKILL" });
    expect(exitClose(0)).toEqual({ code: 1000, reason: '{"exitCode":0}' });
    expect(exitClose(130)).toEqual({ code: 1011, reason: '{"exitCode":130,"exitReason":"Ctrl+C"}' });
    expect(exitClose(129).reason).toContain('"signal 1"');
    expect(exitCodeOf({ exitCode: 0, signal: 9 })).toBe(137);
    expect(exitCodeOf({ exitCode: 7, signal: 0 })).toBe(7);
  });

  it("accepts terminal sizes 1..1000 only", () => {
    expect(parseTerminalSize(null, "cols", 80)).toBe(80);
    expect(parseTerminalSize("1000", "cols", 80)).toBe(1000);
    expect(parseTerminalSize(1, "rows", 24)).toBe(1);
    for (const bad of ["0", "1001", "12.5", "-3", "abc", 0, 2.5]) {
      expect(() => parseTerminalSize(bad, "cols", 80)).toThrow(HttpError);
    }
  });
});
