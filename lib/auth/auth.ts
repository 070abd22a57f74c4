import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { authenticate, type SignInOutcome } from '@/lib/accounts/service';
import { signInSchema } from '@/lib/accounts/schemas';
import { clientIp } from './client-ip';
import { authConfig } from './config';

/** Carries why a sign-in was refused to the login action, e.g. "invalid:3" or "locked:<iso time>". */
class SignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

function refusalCode(outcome: Exclude<SignInOutcome, { ok: true }>): string {
  switch (outcome.reason) {
    case 'invalid':
      return `invalid:${outcome.attemptsLeft ?? ''}`;
    case 'locked':
      return `locked:${outcome.lockedUntil.toISOString()}`;
    case 'disabled':
      return 'disabled';
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  logger: {
    // A refused sign-in is an expected outcome, already audited; anything else is worth a log line.
    error(error) {
      if (error.name === 'CredentialsSignin' || (error as { type?: string }).type === 'CredentialsSignin') return;
      console.error('[auth]', error);
    },
  },
  providers: [
    Credentials({
      credentials: { username: {}, password: {} },
      async authorize(raw, request) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) throw new SignInRefused('invalid:');
        const outcome = await authenticate({ ...parsed.data, ip: clientIp(request.headers) });
        if (!outcome.ok) throw new SignInRefused(refusalCode(outcome));
        return { id: String(outcome.accountId), sessionVersion: outcome.sessionVersion };
      },
    }),
  ],
});
