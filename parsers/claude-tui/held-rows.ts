// The classified rows the parser holds, by absolute number, in a ring laid out like the screen's memory of the rows it handed out.
import type { ClassifiedRow } from "./line-classifier";

/**
 * Rows `abs` live in slot `abs % size`, as in `Screen.takeChanged`'s memory: a row the screen leaves out as unchanged
 * is one this ring still holds, and a row that falls out of the window is dropped as the screen forgets it.
 */
export class HeldRows {
  readonly #slots: (ClassifiedRow | undefined)[];

  constructor(readonly size: number) {
    this.#slots = new Array<ClassifiedRow | undefined>(size).fill(undefined);
  }

  get(abs: number): ClassifiedRow | undefined {
    const row = this.#slots[abs % this.size];
    return row?.abs === abs ? row : undefined;
  }

  /** The rows from `from` to `to` (absolute numbers, inclusive), undefined where none is held. */
  range(from: number, to: number): (ClassifiedRow | undefined)[] {
    const rows = new Array<ClassifiedRow | undefined>(Math.max(0, to - from + 1));
    for (let abs = from; abs <= to; abs++) rows[abs - from] = this.get(abs);
    return rows;
  }

  set(row: ClassifiedRow): void {
    this.#slots[row.abs % this.size] = row;
  }

  clear(): void {
    this.#slots.fill(undefined);
  }
}
