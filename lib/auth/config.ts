import type { NextAuthConfig } from 'next-auth';

/** 30 minutes idle: the token is re-issued on every request, so it lapses only when unused. */
export const sessionIdleSeconds = 30 * 60;

/** The part of the Auth.js setup that needs no database: shared by the proxy and the server. */
export const authConfig = {
  trustHost: true,
  session: { strategy: 'jwt', maxAge: sessionIdleSeconds, updateAge: 0 },
  jwt: { maxAge: sessionIdleSeconds },
  pages: { signIn: '/login' },
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.accountId = Number(user.id);
        token.sessionVersion = user.sessionVersion;
        token.sessionId = user.sessionId;
      }
      return token;
    },
    session({ session, token }) {
      session.accountId = token.accountId;
      session.sessionVersion = token.sessionVersion;
      session.sessionId = token.sessionId;
      return session;
    },
  },
} satisfies NextAuthConfig;
