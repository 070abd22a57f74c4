import type { Actor } from '@/lib/auth/actor';

/** Sign-in throttling, session limits and the second-factor rule. Client-safe. */
export const signinWindowMinutes = 15;
/** Failures from one client address within the window before that address is refused for the window. */
export const maxFailuresPerAddress = 10;
/** Failures on one account name within the window before each further attempt on it is slowed. */
export const slowdownAfterFailures = 3;
/** Absolute session lifetime, whatever the activity (the idle limit is 30 minutes). */
export function sessionMaxHours(): number {
  const hours = Number(process.env.SESSION_MAX_HOURS ?? 12);
  return Number.isFinite(hours) && hours > 0 ? hours : 12;
}

/** The wait before checking a password on a name that failed `failures` times in the window: 1 s, 2 s, 4 s … at most 8 units. */
export function slowdownMs(failures: number): number {
  if (failures < slowdownAfterFailures) return 0;
  const base = Number(process.env.SIGNIN_DELAY_BASE_MS ?? 1000);
  return base * Math.min(8, 2 ** (failures - slowdownAfterFailures));
}

/** Tiers whose staff must sign in with a second factor (TOTP). TOTP_REQUIRED_TIERS, default ministry and provinces. */
export function totpRequiredTiers(): string[] {
  return (process.env.TOTP_REQUIRED_TIERS ?? 'central,province').split(',').map((s) => s.trim()).filter(Boolean);
}

export function totpRequiredFor(actor: Pick<Actor, 'role' | 'unitTier' | 'isDemo'>): boolean {
  if (actor.isDemo || actor.role === 'teacher' || actor.role === 'institution') return false;
  return totpRequiredTiers().includes(actor.unitTier);
}
