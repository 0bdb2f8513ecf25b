/** The longest wait between two attempts, in units of the base delay: 6 h at the default 30 s. */
export const MAX_DELAY_FACTOR = 720;

/**
 * Delay before the next attempt after `failed` failed attempts of this round: the base doubling
 * per attempt up to the cap, with "equal jitter" (half fixed, half random) so a receiver that
 * comes back is not hit by every delivery at the same instant. A Retry-After the receiver sent
 * is honoured as the minimum, within the same cap (a receiver cannot park deliveries for weeks).
 */
export function retryDelayMs(input: { failed: number; baseMs: number; retryAfterMs: number | null; random?: () => number }): number {
  const cap = input.baseMs * MAX_DELAY_FACTOR;
  const exponential = Math.min(cap, input.baseMs * 2 ** Math.max(0, input.failed - 1));
  const jittered = exponential / 2 + (input.random ?? Math.random)() * (exponential / 2);
  return Math.round(Math.min(cap, Math.max(jittered, input.retryAfterMs ?? 0)));
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

const day = (at: Date) => at.toISOString().slice(0, 10);

/**
 * The failure streak after a failed attempt at `now`: a day counts once however many attempts
 * fail on it, the streak grows only on the next calendar day (UTC) and starts again at 1 after a
 * gap. A success resets it (the delivery service sets 0). `disable` once the streak reaches the limit.
 */
export function failureStreak(previous: { failureDays: number; lastFailureDay: string | null }, now: Date, disableAfterDays: number) {
  const today = day(now);
  const yesterday = day(new Date(now.getTime() - 86_400_000));
  const failureDays =
    previous.lastFailureDay === today ? Math.max(1, previous.failureDays) : previous.lastFailureDay === yesterday ? previous.failureDays + 1 : 1;
  return { failureDays, lastFailureDay: today, disable: failureDays >= disableAfterDays };
}
