import 'next-auth';
import 'next-auth/jwt';

declare module 'next-auth' {
  interface User {
    sessionVersion?: number;
    sessionId?: string;
  }
  interface Session {
    accountId?: number;
    sessionVersion?: number;
    sessionId?: string;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    accountId?: number;
    sessionVersion?: number;
    sessionId?: string;
  }
}
