// Recognizes the replies a terminal emulator sends on its own (device attributes, cursor and mode reports, version, OSC answers).

/**
 * One reply xterm.js may emit through `onData` while parsing output: DA1/DA2 (`c`), DSR/CPR (`n`, `R`), DECRQM
 * (`$y`), window reports (`t`), kitty keyboard flags (`u`), DCS answers such as XTVERSION and DECRQSS, OSC answers.
 */
const REPORT = "\\x1b(?:\\[[?>]?[\\d;]*(?:c|n|R|\\$y|t|u)|P[^\\x1b]*\\x1b\\\\|\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\))";
const REPORTS = new RegExp(`^(?:${REPORT})+$`);

/** True when `data` consists only of terminal replies: nothing a person typed or pasted looks like this. */
export function isTerminalReport(data: string): boolean {
  return REPORTS.test(data);
}
