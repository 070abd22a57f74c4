/**
 * Whether a form post came from a page of this site (its Origin names this host), so that another
 * site cannot make a signed-in browser start an export or spend a credential sheet.
 */
export function isSameOriginPost(request: Request): boolean {
  const origin = request.headers.get('origin');
  return origin !== null && URL.canParse(origin) && new URL(origin).host === request.headers.get('host');
}
