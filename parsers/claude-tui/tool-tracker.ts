// Turns the blocks read from each frame into one record per tool call: matches redrawn, moved and repainted blocks to known calls.
import { headerlessTool, missingTool, sameBlocks, type Block, type CallBlock, type GroupBlock } from "./block-reader";
import { statusFromDrawing } from "./call-status";
import { FINAL_STATUSES, type ToolRecord, type ToolStatus } from "./events";
import { categoryOfCall, counts, itemIdentity, parseGroupSummary, type GroupCategory } from "./group-summary";
import { targetsCompatible } from "./target-match";
import { identify, KNOWN_DISPLAY_NAMES, type ToolIdentity } from "./tool-names";

/** Calls kept; beyond this the oldest are forgotten (hostile output cannot grow memory without bound). */
const MAX_RECORDS = 5_000;
/** Recent calls looked at when a block moved to another row. */
const MOVE_LOOKBACK = 64;
/** Summary text kept, in characters. */
const MAX_SUMMARY_CHARS = 200;
/** Result lines that only say the call is underway: no summary yet. */
const PROGRESS = /^(?:Running|Waiting)…?$/u;

/** What one frame's reading happens in. */
export interface FrameContext {
  /** Stream offset of the frame's end, in bytes. */
  offset: number;
  /** Lowest absolute row the blocks were read from; rows above are history that no longer changes. */
  windowStart: number;
  /** Some bullet was seen in colour: plain-bullet headers are prose, not calls. */
  colorSeen: boolean;
  /** A permission menu for a tool call is on screen: the newest call underway waits on it. */
  permissionAsked: boolean;
}

interface CallState {
  record: ToolRecord;
  /** Latest header row. */
  row: number;
  /** Binding key of that row (see `rowKey`). */
  key: string;
  /** Waited on a permission menu and has not been seen running since: an interrupt now is a denial. */
  asked: boolean;
  changed: boolean;
  group?: GroupState;
  /** What a folded group counts this member as (a `cat` is a read). */
  category?: GroupCategory;
  /** The record as last handed out, to send each change once. */
  sent?: ToolRecord;
}

interface GroupState {
  row: number;
  categories: Set<GroupCategory>;
  running: boolean;
  members: CallState[];
  items: Set<string>;
}

type Bindable = CallState | GroupState;

export class ToolTracker {
  readonly #calls: CallState[] = [];
  readonly #groups: GroupState[] = [];
  /** Which call or group a header row currently shows (`row` or `row:tool` for header-less error lines). */
  readonly #byRow = new Map<string, Bindable>();
  #replayCall: number | undefined;
  #replayGroup = 0;
  #nextId = 1;
  /** The frame applied last: the same blocks in the same context again change nothing (most frames redraw other rows). */
  #last: { blocks: readonly Block[]; context: FrameContext } | undefined;

  /** A repaint draws the transcript again from the top: blocks at new rows may be copies of known calls. */
  startReplay(): void {
    this.#replayCall = 0;
    this.#replayGroup = 0;
    this.#last = undefined;
  }

  /** Applies one frame's blocks; returns the calls that changed. */
  apply(blocks: readonly Block[], context: FrameContext): ToolRecord[] {
    if (this.#last && sameContext(this.#last.context, context) && sameBlocks(this.#last.blocks, blocks)) return [];
    this.#last = { blocks, context };
    const shown = new Map<string, Block>();
    for (const block of blocks) shown.set(rowKey(block), block);
    const matched = new Set<Bindable>();
    for (const block of blocks) {
      switch (block.kind) {
        case "call":
          this.#applyCall(block, context, shown, matched);
          break;
        case "group":
          this.#applyGroup(block, context, shown, matched);
          break;
        case "missing-tool":
          this.#applyHeaderless(block.row, block.tool, block.text, block.failed, context, shown, matched);
          break;
        case "agent-finished":
          this.#finishAgent(block.description, context);
          break;
        case "banner":
          break;
      }
    }
    if (context.permissionAsked) this.#markAwaitingPermission(context);
    this.#forgetRowsAbove(context.windowStart);
    return this.#takeChanged();
  }

  /** The newest call still underway waits on the permission menu (2.0.x draws it as `Running…` meanwhile). */
  #markAwaitingPermission(context: FrameContext): void {
    for (let i = this.#calls.length - 1; i >= 0; i--) {
      const call = this.#calls[i];
      if (!call || call.group) continue;
      if (FINAL_STATUSES.has(call.record.status)) return;
      call.asked = true;
      this.#setStatus(call, "awaiting-permission", context);
      return;
    }
  }

  /** Every call so far, in the order they appeared. */
  records(): ToolRecord[] {
    return this.#calls.map((call) => ({ ...call.record }));
  }

  #applyCall(block: CallBlock, context: FrameContext, shown: Map<string, Block>, matched: Set<Bindable>): void {
    if (!block.styled && (context.colorSeen || !KNOWN_DISPLAY_NAMES.has(block.name))) return;
    let identity = identify(block.name, block.args);
    const missing = block.results.map(missingTool).find((tool) => tool !== undefined);
    if (missing && (identity.tool === "Grep" || identity.tool === "Glob") && (missing === "Grep" || missing === "Glob")) {
      identity = { ...identity, tool: missing };
    }
    const call = this.#bindCall(rowKey(block), block.row, identity, context, shown, matched);
    if (!call) return;
    this.#updateTarget(call, identity);
    const drawn = statusFromDrawing(block);
    const first = block.results.find((text) => !PROGRESS.test(text));
    if (first !== undefined) this.#setSummary(call, first);
    if (drawn === "interrupted-or-denied") {
      this.#setStatus(call, call.asked ? "denied" : "interrupted", context);
    } else if (drawn === "awaiting-permission") {
      // `Waiting…` also marks a call queued behind a parallel one; only a menu on screen makes it a permission wait.
      if (context.permissionAsked) call.asked = true;
      this.#setStatus(call, context.permissionAsked ? drawn : "running", context);
    } else if (drawn === "running" && call.asked && context.permissionAsked) {
      // Still on the menu: 2.0.x draws `Running…` under a call that waits for permission.
    } else if (drawn !== undefined) {
      if (drawn === "running" && block.results.length > 0) call.asked = false;
      this.#setStatus(call, drawn, context);
    }
    block.results.forEach((text, index) => {
      const headerless = headerlessTool(text);
      const row = block.resultRows[index];
      // The first `⎿` line is this call's own; later ones of that shape belong to calls drawn without a header.
      if (headerless && index > 0 && row !== undefined && headerless.tool !== identity.tool) {
        this.#applyHeaderless(row, headerless.tool, text, headerless.failed, context, shown, matched);
      }
    });
  }

  #applyHeaderless(row: number, tool: string, text: string, failed: boolean, context: FrameContext, shown: Map<string, Block>, matched: Set<Bindable>): void {
    const call = this.#bindCall(`${row}:${tool}`, row, { tool, target: "" }, context, shown, matched);
    if (!call) return;
    this.#setSummary(call, text);
    this.#setStatus(call, failed ? "error" : "done", context);
  }

  /** The call a header at `row` shows: the one bound there, one that moved here, a repainted copy, or a new one. */
  #bindCall(key: string, row: number, identity: ToolIdentity, context: FrameContext, shown: Map<string, Block>, matched: Set<Bindable>): CallState | undefined {
    const bound = this.#byRow.get(key);
    // A call may show at several rows at once: a repaint's copy below the original in history.
    if (bound && !isGroup(bound) && sameCall(bound, identity)) {
      matched.add(bound);
      return bound;
    }
    const moved = this.#findMoved(identity, context, shown, matched);
    const replayed = moved ? undefined : this.#findReplayed(identity, matched);
    const call = moved ?? replayed ?? this.#newCall(identity, context);
    if (!moved && !replayed) this.#replayCall = undefined;
    this.#byRow.set(key, call);
    call.row = row;
    call.key = key;
    matched.add(call);
    return call;
  }

  /** A recent call whose own row no longer shows it: the drawing moved (live region grew, or the screen was cleared). */
  #findMoved(identity: ToolIdentity, context: FrameContext, shown: Map<string, Block>, matched: Set<Bindable>): CallState | undefined {
    const from = Math.max(0, this.#calls.length - MOVE_LOOKBACK);
    for (let i = from; i < this.#calls.length; i++) {
      const call = this.#calls[i];
      if (!call || call.group || matched.has(call) || call.row < context.windowStart || !sameCall(call, identity)) continue;
      if (!stillShows(shown.get(call.key), call)) return call;
    }
    return undefined;
  }

  /** During a repaint, the next known call in order that this block copies. */
  #findReplayed(identity: ToolIdentity, matched: Set<Bindable>): CallState | undefined {
    if (this.#replayCall === undefined) return undefined;
    for (let i = this.#replayCall; i < this.#calls.length; i++) {
      const call = this.#calls[i];
      if (!call || call.group || !sameCall(call, identity)) continue;
      this.#replayCall = i + 1;
      return call;
    }
    return undefined;
  }

  #newCall(identity: ToolIdentity, context: FrameContext, group?: GroupState, category?: GroupCategory): CallState {
    const call: CallState = {
      record: { id: `t${this.#nextId++}`, tool: identity.tool, target: identity.target, status: "running", start: context.offset },
      row: -1,
      key: "",
      asked: false,
      changed: true,
    };
    if (group) call.group = group;
    if (category !== undefined) call.category = category;
    this.#calls.push(call);
    if (this.#calls.length > MAX_RECORDS) this.#calls.splice(0, this.#calls.length - MAX_RECORDS);
    return call;
  }

  #applyGroup(block: GroupBlock, context: FrameContext, shown: Map<string, Block>, matched: Set<Bindable>): void {
    const summary = parseGroupSummary(block.text);
    if (summary.parts.length === 0) return;
    const categories = new Set(summary.parts.map((part) => part.category));
    const group = this.#bindGroup(block.row, categories, context, shown, matched);
    for (const category of categories) group.categories.add(category);
    group.running = block.running;
    for (const item of block.items) {
      if (group.items.has(item)) continue;
      group.items.add(item);
      const identity = itemIdentity(item, summary.parts.map((part) => part.tool));
      const category = categoryOfCall(identity.tool, identity.target);
      // An item names a call the summary already counted: it fills that placeholder.
      const placeholder = group.members.find((member) => member.record.target === "" && (member.category === category || (!categories.has(category) && counts(identity.tool, member.category))));
      if (placeholder) {
        placeholder.record.tool = identity.tool;
        placeholder.record.target = identity.target;
        placeholder.changed = true;
      } else {
        group.members.push(this.#newCall(identity, context, group, category));
      }
    }
    const deficit = new Map<GroupCategory, number>();
    for (const part of summary.parts) deficit.set(part.category, part.count - group.members.filter((member) => member.category === part.category).length);
    // A shell command the summary counts under another heading (`echo x && tail f` is "read 1 file").
    for (const member of group.members) {
      if (member.category !== undefined && categories.has(member.category)) continue;
      const part = summary.parts.find((candidate) => (deficit.get(candidate.category) ?? 0) > 0 && counts(member.record.tool, candidate.category));
      if (!part) continue;
      member.category = part.category;
      deficit.set(part.category, (deficit.get(part.category) ?? 0) - 1);
    }
    for (const part of summary.parts) {
      for (let missing = deficit.get(part.category) ?? 0; missing > 0; missing--) group.members.push(this.#newCall({ tool: part.tool, target: "" }, context, group, part.category));
    }
    const failedAll = summary.failed > 0 && summary.failed >= group.members.length;
    for (const member of group.members) {
      this.#setSummary(member, block.text);
      this.#setStatus(member, block.running ? "running" : failedAll ? "error" : "done", context);
    }
  }

  #bindGroup(row: number, categories: Set<GroupCategory>, context: FrameContext, shown: Map<string, Block>, matched: Set<Bindable>): GroupState {
    const key = String(row);
    const bound = this.#byRow.get(key);
    if (bound && isGroup(bound) && overlaps(bound.categories, categories)) {
      matched.add(bound);
      return bound;
    }
    let group = this.#groups.find((candidate) => {
      if (matched.has(candidate) || candidate.row < context.windowStart || !overlaps(candidate.categories, categories)) return false;
      const there = shown.get(String(candidate.row));
      return there?.kind !== "group";
    });
    if (!group && this.#replayCall !== undefined) {
      for (let i = this.#replayGroup; i < this.#groups.length; i++) {
        const candidate = this.#groups[i];
        if (candidate && overlaps(candidate.categories, categories)) {
          this.#replayGroup = i + 1;
          group = candidate;
          break;
        }
      }
    }
    if (!group) {
      group = { row, categories: new Set(categories), running: true, members: [], items: new Set() };
      this.#groups.push(group);
      if (this.#groups.length > MAX_RECORDS) this.#groups.splice(0, this.#groups.length - MAX_RECORDS);
    }
    this.#byRow.set(key, group);
    group.row = row;
    matched.add(group);
    return group;
  }

  #finishAgent(description: string, context: FrameContext): void {
    for (let i = this.#calls.length - 1; i >= 0; i--) {
      const call = this.#calls[i];
      if (call && call.record.tool === "Agent" && targetsCompatible(call.record.target, description)) {
        if (!FINAL_STATUSES.has(call.record.status)) this.#setStatus(call, "done", context);
        return;
      }
    }
  }

  #updateTarget(call: CallState, identity: ToolIdentity): void {
    const current = call.record.target;
    const next = identity.target;
    // A header being typed grows; a shortened copy (`…`) never replaces a fuller drawing.
    const better = current === "" || (next.length > current.length && !next.includes("…")) || (current.includes("…") && !next.includes("…"));
    if (better && next !== current) {
      call.record.target = next;
      call.changed = true;
    }
    if (identity.tool !== call.record.tool && (call.record.tool === "Grep" || call.record.tool === "Glob")) {
      call.record.tool = identity.tool;
      call.changed = true;
    }
  }

  #setSummary(call: CallState, text: string): void {
    const summary = text.slice(0, MAX_SUMMARY_CHARS);
    if (call.record.summary !== summary) {
      call.record.summary = summary;
      call.changed = true;
    }
  }

  #setStatus(call: CallState, status: ToolStatus, context: FrameContext): void {
    const current = call.record.status;
    if (current === status) return;
    // A final status only gives way to another final one (a later, fuller drawing).
    if (FINAL_STATUSES.has(current) && !FINAL_STATUSES.has(status)) return;
    call.record.status = status;
    if (FINAL_STATUSES.has(status) && call.record.end === undefined) call.record.end = context.offset;
    call.changed = true;
  }

  #forgetRowsAbove(windowStart: number): void {
    for (const [key, bound] of this.#byRow) {
      if (bound.row < windowStart) this.#byRow.delete(key);
    }
  }

  /** Calls whose record differs from what was last handed out. */
  #takeChanged(): ToolRecord[] {
    const changed: ToolRecord[] = [];
    for (const call of this.#calls) {
      if (!call.changed) continue;
      call.changed = false;
      if (call.sent && sameRecord(call.sent, call.record)) continue;
      call.sent = { ...call.record };
      changed.push({ ...call.record });
    }
    return changed;
  }
}

function sameCall(call: CallState, identity: ToolIdentity): boolean {
  const tool = call.record.tool;
  const sameTool = tool === identity.tool || ((tool === "Grep" || tool === "Glob") && (identity.tool === "Grep" || identity.tool === "Glob"));
  if (!sameTool) return false;
  if (call.record.target === "" && identity.target === "") return true;
  return targetsCompatible(call.record.target, identity.target);
}

/** Frames read alike: only the offset, which marks new calls and ends, may differ. */
function sameContext(a: FrameContext, b: FrameContext): boolean {
  return a.windowStart === b.windowStart && a.colorSeen === b.colorSeen && a.permissionAsked === b.permissionAsked;
}

function sameRecord(a: ToolRecord, b: ToolRecord): boolean {
  return a.id === b.id && a.tool === b.tool && a.target === b.target && a.status === b.status && a.summary === b.summary && a.start === b.start && a.end === b.end;
}

function isGroup(bound: Bindable): bound is GroupState {
  return "members" in bound;
}

function overlaps(a: Set<GroupCategory>, b: Set<GroupCategory>): boolean {
  for (const category of a) if (b.has(category)) return true;
  return false;
}

/** Binding key of a block's row; header-less error lines share a row with what is drawn above them. */
function rowKey(block: Block): string {
  return block.kind === "missing-tool" ? `${block.row}:${block.tool}` : String(block.row);
}

/** The block drawn at a call's row still shows that call. */
function stillShows(block: Block | undefined, call: CallState): boolean {
  if (block?.kind === "call") return sameCall(call, identify(block.name, block.args));
  return block?.kind === "missing-tool" && block.tool === call.record.tool;
}
