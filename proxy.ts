import NextAuth from 'next-auth';
import { NextResponse, type NextRequest } from 'next/server';
import { authConfig } from '@/lib/auth/config';
import { contentSecurityPolicy, strictTransportSecurity } from '@/lib/http/security-headers';

const { auth } = NextAuth(authConfig);

const publicPaths = ['/login', '/api/auth'];

function nonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** The CSP (with this request's nonce, which Next reads from the request header) and HSTS behind TLS. */
function secured(request: NextRequest, respond: (headers: Headers) => NextResponse): NextResponse {
  const value = nonce();
  const policy = contentSecurityPolicy(value);
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  const response = respond(headers);
  response.headers.set('Content-Security-Policy', policy);
  if (request.headers.get('x-forwarded-proto') === 'https' || request.nextUrl.protocol === 'https:') response.headers.set('Strict-Transport-Security', strictTransportSecurity);
  return response;
}

/**
 * Comfort only: sends visitors without a session to the login page and slides the idle timeout.
 * Every page and action still checks the actor against the database.
 */
export default auth((request) => {
  const { pathname } = request.nextUrl;
  if (publicPaths.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return secured(request, (headers) => NextResponse.next({ request: { headers } }));
  if (!request.auth) {
    const url = new URL('/login', request.nextUrl);
    if (pathname !== '/') url.searchParams.set('next', pathname + request.nextUrl.search);
    return secured(request, () => NextResponse.redirect(url));
  }
  return secured(request, (headers) => NextResponse.next({ request: { headers } }));
});

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|css|js)$).*)'],
};
