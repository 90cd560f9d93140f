// Claude Code's first-run answers, shared by the local sandbox host (claude-home.ts) and the Daytona snapshot (image.ts).

/** Claude Code identifies an approved API key by this many trailing characters of the trimmed key. */
export const API_KEY_ID_CHARS = 20;

/**
 * Claude's global config (`~/.claude.json`) with the first-run answers merged in: onboarding done, `workspace`
 * (a real path) trusted, and `apiKey`, when given, approved. Every other key is kept.
 */
export function withFirstRunConfig(
  config: Record<string, unknown>,
  workspace: string,
  apiKey?: string,
): Record<string, unknown> {
  const projects = record(config.projects);
  const keyResponses = record(config.customApiKeyResponses);
  const approved = strings(keyResponses.approved);
  let rejected = strings(keyResponses.rejected);
  const key = apiKey?.trim();
  if (key) {
    const keyId = key.slice(-API_KEY_ID_CHARS);
    if (!approved.includes(keyId)) approved.push(keyId);
    rejected = rejected.filter((id) => id !== keyId);
  }
  return {
    ...config,
    // Skips the welcome flow, which also checks that api.anthropic.com is reachable (ANTHROPIC_BASE_URL or not).
    hasCompletedOnboarding: true,
    projects: {
      ...projects,
      [workspace]: { allowedTools: [], ...record(projects[workspace]), hasTrustDialogAccepted: true },
    },
    customApiKeyResponses: { ...keyResponses, approved, rejected },
  };
}

/** Claude's user settings (`~/.claude/settings.json`) with Nightona's choices merged in; other keys are kept. */
export function withNightonaSettings(settings: Record<string, unknown>): Record<string, unknown> {
  return {
    ...settings,
    // Keeps the inline renderer; the fullscreen one uses the alternate screen and a more collapsed tool layout.
    tui: "default",
    // Counts as accepting the one-time "Bypass Permissions mode" warning of --dangerously-skip-permissions.
    skipDangerousModePermissionPrompt: true,
    // Keeps new-user tips out of the spinner area, where they print as a `⎿  Tip: …` row like a tool result.
    spinnerTipsEnabled: false,
    // The version is pinned by the snapshot (and package.json locally); an update mid-session would swap the binary.
    env: { ...record(settings.env), DISABLE_AUTOUPDATER: "1" },
  };
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
