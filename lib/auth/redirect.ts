import { hasControlCharacters } from '@/lib/http/params';

/**
 * The page to return to after sign-in: only a same-origin path. Browsers read "/\host" and "//host"
 * as another host, and a URL parser is the only reliable judge of that. Client-safe.
 */
export function safeNextPath(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.length > 2000) return fallback;
  if (hasControlCharacters(next) || next.includes('\\') || next.startsWith('//')) return fallback;
  try {
    const base = 'http://app.invalid';
    const url = new URL(next, base);
    if (url.origin !== base) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
