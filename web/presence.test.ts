import { describe, expect, it } from "vitest";
import type { PresenceEntry, Role } from "../parsers/protocol";
import { cleanDisplayName } from "./display-name";
import { describeHeadcount, describePresenceChange, describeRoles, diffPresence, orderPresence, safeColor } from "./presence";

const person = (id: string, name: string, role: Role): PresenceEntry => ({ id, name, role, color: "#82aaff" });

const ada = person("a", "Ada", "owner");
const bob = person("b", "Bob", "writer");
const cy = person("c", "Guest", "viewer");

describe("diffPresence", () => {
  it("reports nothing for the first list after a (re)connect", () => {
    expect(diffPresence(null, [ada, bob], "a")).toEqual([]);
  });

  it("reports joins and leaves by client id, leaves first", () => {
    const changes = diffPresence([ada, bob], [ada, cy], "a");
    expect(changes).toEqual([
      { kind: "left", entry: bob },
      { kind: "joined", entry: cy },
    ]);
    expect(changes.map(describePresenceChange)).toEqual(["Bob left", "Guest joined as viewer"]);
  });

  it("never announces this client", () => {
    expect(diffPresence([bob], [bob, ada], "a")).toEqual([]);
    expect(diffPresence([ada, bob], [bob], "a")).toEqual([]);
  });

  it("treats the same name on a new connection as a new person (a reconnect shows as left + joined)", () => {
    const bobAgain = person("b2", "Bob", "writer");
    expect(diffPresence([ada, bob], [ada, bobAgain], "a").map(describePresenceChange)).toEqual([
      "Bob left",
      "Bob joined as writer",
    ]);
  });

  it("ignores lists that differ only in order or in who typed last", () => {
    expect(diffPresence([ada, bob, cy], [cy, ada, bob], "a")).toEqual([]);
  });
});

describe("orderPresence", () => {
  it("lists this client first, then owners, writers and viewers, keeping the server's order within a role", () => {
    const dee = person("d", "Dee", "writer");
    const ids = (entries: PresenceEntry[]): string[] => entries.map((entry) => entry.id);
    expect(ids(orderPresence([cy, bob, ada, dee], "a"))).toEqual(["a", "b", "d", "c"]);
    expect(ids(orderPresence([cy, bob, ada, dee], "c"))).toEqual(["c", "a", "b", "d"]);
    expect(ids(orderPresence([dee, bob], null))).toEqual(["d", "b"]);
  });
});

describe("presence words", () => {
  it("describes a join with the role", () => {
    expect(describePresenceChange({ kind: "joined", entry: bob })).toBe("Bob joined as writer");
    expect(describePresenceChange({ kind: "joined", entry: person("x", "", "owner") })).toBe("Guest joined as owner");
  });

  it("counts people and roles", () => {
    expect(describeHeadcount(1)).toBe("1 person here");
    expect(describeHeadcount(3)).toBe("3 people here");
    expect(describeRoles([ada, bob, person("d", "Dee", "writer")])).toBe("1 owner, 2 writers");
  });

  it("accepts only #rrggbb colours", () => {
    expect(safeColor("#c3e88d")).toBe("#c3e88d");
    expect(safeColor("red; background: url(x)")).toBeNull();
    expect(safeColor(undefined)).toBeNull();
  });
});

describe("cleanDisplayName", () => {
  it("trims, collapses spaces, drops control characters and caps the length", () => {
    expect(cleanDisplayName("  Ada \t Lovelace ")).toBe("Ada Lovelace");
    expect(cleanDisplayName("Bo\u0007b\u200b")).toBe("Bob");
    expect(cleanDisplayName("")).toBe("");
    expect([...cleanDisplayName("é".repeat(60))]).toHaveLength(40);
  });
});
