import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { authenticate, type SignInOutcome } from '@/lib/signin/service';
import { signInSchema } from '@/lib/accounts/schemas';
import { logUnexpected } from '@/lib/log';
import { clientIp } from './client-ip';
import { authConfig } from './config';

/** Carries why a sign-in was refused to the login action: "invalid", "throttled:<seconds>", "second_factor[:rejected]". */
class SignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

function refusalCode(outcome: Exclude<SignInOutcome, { ok: true }>): string {
  switch (outcome.reason) {
    case 'invalid':
      return 'invalid';
    case 'throttled':
      return `throttled:${outcome.retryAfterSeconds}`;
    case 'second_factor':
      return outcome.codeRejected ? 'second_factor:rejected' : 'second_factor';
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  logger: {
    // A refused sign-in is an expected outcome, already audited; anything else is worth a log line.
    error(error) {
      if (error.name === 'CredentialsSignin' || (error as { type?: string }).type === 'CredentialsSignin') return;
      logUnexpected('auth', error);
    },
  },
  providers: [
    Credentials({
      credentials: { username: {}, password: {}, code: {} },
      async authorize(raw, request) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) throw new SignInRefused('invalid');
        const outcome = await authenticate({ ...parsed.data, ip: clientIp(request.headers) });
        if (!outcome.ok) throw new SignInRefused(refusalCode(outcome));
        return { id: String(outcome.accountId), sessionVersion: outcome.sessionVersion, sessionId: outcome.sessionId };
      },
    }),
  ],
});
