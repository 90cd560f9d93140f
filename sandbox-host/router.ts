// A small method + path-pattern router: `/sandbox/:id/start` style patterns, decoded params, first match wins.

export type RouteParams = Record<string, string>;

export interface Route<Handler> {
  method: string;
  pattern: string;
  handler: Handler;
}

export interface RouteMatch<Handler> {
  handler: Handler;
  params: RouteParams;
}

/** Finds the first route whose method and pattern match; `path` is relative to the router's prefix. */
export function matchRoute<Handler>(
  routes: readonly Route<Handler>[],
  method: string,
  path: string,
): RouteMatch<Handler> | null {
  const segments = splitPath(path);
  if (segments === null) return null;
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchPattern(splitPath(route.pattern) ?? [], segments);
    if (params) return { handler: route.handler, params };
  }
  return null;
}

/** Strips `prefix` from `path` at a segment boundary; null when the path is not under it. */
export function stripPrefix(path: string, prefix: string): string | null {
  if (path === prefix) return "/";
  if (path.startsWith(prefix + "/")) return path.slice(prefix.length);
  return null;
}

function matchPattern(pattern: readonly string[], segments: readonly string[]): RouteParams | null {
  if (pattern.length !== segments.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i] ?? "";
    const got = segments[i] ?? "";
    if (want.startsWith(":")) {
      if (got === "") return null;
      params[want.slice(1)] = got;
    } else if (want !== got) {
      return null;
    }
  }
  return params;
}

/** Splits a path into decoded segments, ignoring a trailing slash; null when a segment is badly encoded. */
function splitPath(path: string): string[] | null {
  const trimmed = path.replace(/^\/+/, "").replace(/\/+$/, "");
  if (trimmed === "") return [];
  try {
    return trimmed.split("/").map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}
