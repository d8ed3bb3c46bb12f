// Ages as people say them, for figures shown with how old they are.

/** How long before `now` a time was, for people: "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function ago(fromIso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(fromIso);
  // A time a little ahead of our clock (another process's skew) reads as now.
  if (!(ms >= 60_000)) return 'just now';
  const [n, unit] =
    ms < 3_600_000
      ? ([Math.floor(ms / 60_000), 'minute'] as const)
      : ms < 86_400_000
        ? ([Math.floor(ms / 3_600_000), 'hour'] as const)
        : ([Math.floor(ms / 86_400_000), 'day'] as const);
  return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}
