/**
 * Durations as the tokens panel shows them: the two largest units, whole seconds
 * ("3 m 12 s", "1 h 5 m", "2 d 3 h"), so a live countdown stays readable at a glance.
 */

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/** `ms` (sign ignored, floored to whole seconds) as at most two units, e.g. "3 m 12 s"; "0 s" below a second. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  let rest = Math.floor(Math.abs(ms) / 1000);
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    // A zero second unit ends the text: "1 h", not "1 h 0 m".
    if (n > 0) parts.push(`${n} ${unit}`);
    else if (parts.length === 1) break;
    if (parts.length === 2) break;
  }
  return parts.length ? parts.join(' ') : '0 s';
}

/** "expires in 3 m 12 s", or "expired 20 s ago" once `now` reached `expiresAt` (T2: expired when expiresAt ≤ now). */
export function formatCountdown(expiresAt: number, now: number): string {
  const left = expiresAt - now;
  if (left > 0) return `expires in ${formatDuration(left)}`;
  if (-left < 1000) return 'expired just now';
  return `expired ${formatDuration(left)} ago`;
}

/** How long ago something happened: "12 s ago", "just now" (also for a time slightly in the future). */
export function formatAge(since: number, now: number): string {
  const ago = now - since;
  if (ago < 1000) return 'just now';
  return `${formatDuration(ago)} ago`;
}
