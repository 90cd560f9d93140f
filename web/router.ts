// Client-side routes: `/` is the start page, `/s/:id` a session; the link token rides in the fragment (`#token=`).

export type Route =
  | { page: "start" }
  | { page: "session"; id: string; token: string | null }
  | { page: "not-found"; path: string };

/** Reads the route from a URL (by default the current one). */
export function currentRoute(url: URL = new URL(location.href)): Route {
  if (url.pathname === "/" || url.pathname === "/index.html") return { page: "start" };
  const match = /^\/s\/([^/]+)\/?$/.exec(url.pathname);
  if (match) {
    const token = new URLSearchParams(url.hash.slice(1)).get("token");
    return { page: "session", id: decodeURIComponent(match[1]!), token: token || null };
  }
  return { page: "not-found", path: url.pathname };
}

/** Goes to a same-origin URL without reloading; other origins load normally. */
export function navigate(to: string): void {
  const url = new URL(to, location.href);
  if (url.origin !== location.origin) {
    location.assign(url.href);
    return;
  }
  history.pushState(null, "", url.href);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

/** Click handler for in-app links: plain left clicks navigate in place, modified clicks keep the browser's behaviour. */
export function followLink(event: MouseEvent): void {
  const anchor = (event.target as Element | null)?.closest("a");
  if (!anchor || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || anchor.target) return;
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin) return;
  event.preventDefault();
  navigate(url.href);
}
