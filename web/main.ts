// Entry point: the page's styles, xterm.js's own stylesheet, the theme, and the <app-root> element that picks the page.
import "@xterm/xterm/css/xterm.css";
import "./styles.css";
import "./app-root";
import { followTheme } from "./theme";

followTheme();
