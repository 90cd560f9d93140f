// What every sandbox previews, for the Worker, the local sandbox host and the snapshot alike (no runtime imports).

/** The port the workspace app's dev server listens on in a sandbox; the preview pane shows it. */
export const PREVIEW_PORT = 3000;
/** Response header (value "unavailable") on the local host's own preview error pages, so probes tell them from the app. */
export const UNAVAILABLE_HEADER = "x-nightona-preview";
