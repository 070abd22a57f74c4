import { expect, test, type Page } from '@playwright/test';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { demoPassword, signIn, signOut } from './helpers';

/**
 * WCAG 2.1 A/AA with axe on every page each role reaches, at 1280 px and at 375 px: the role's home,
 * every page its navigation links to, and one page of each kind linked from those (a record, a case,
 * a project). Fails on any serious or critical violation, naming the page, the width and the nodes.
 * With A11Y_SCREENS=1, screenshots of each page at both widths go to test-results/screens/a11y for a person to look at.
 */

const roles: { username: string; label: string }[] = [
  { username: '000000.manager', label: 'central-manager' },
  { username: '330000.admin', label: 'province-admin' },
  { username: '000000.audit', label: 'central-audit' },
  { username: '330000.manager', label: 'province-manager' },
  { username: '330100.manager', label: 'city-manager' },
  { username: '330106.manager', label: 'county-manager' },
  { username: '330106.query1', label: 'county-query' },
  { username: '330106.admin', label: 'county-admin' },
  { username: '330105.manager', label: 'county-rotations' },
  { username: '2133060001.admin', label: 'school-head' },
  { username: '2133060001.manager', label: 'school-manager' },
  { username: '330106198503150024', label: 'teacher' },
  { username: 'PX33000001.submit', label: 'institution' },
];

/** One page of each shape: /teachers/123 and /teachers/456 are the same page. */
const shapeOf = (pathname: string) => pathname.replace(/\/\d+(?=\/|$)/g, '/:id');
// Downloads are skipped; the export page itself (a form and the list of files) is a page like any other.
const skipped = [/^\/api\//, /\/export(?!$)/, /(?<!^\/teachers)\/export$/, /\/download/, /\/template/, /\/print/, /^\/login/, /\.(xlsx|pdf|csv)$/];

async function linksOn(page: Page): Promise<string[]> {
  const hrefs = await page.locator('a[href^="/"]:not([download])').evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).getAttribute('href')!));
  return hrefs.map((href) => href.split('#')[0]).filter((href) => !skipped.some((pattern) => pattern.test(href.split('?')[0])));
}

async function axeViolations(page: Page): Promise<string[]> {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.nodes.length}): ${violation.nodes.slice(0, 3).map((node) => `${node.target.join(' ')} ${node.any[0]?.message ?? ''}`).join(' | ')}`);
}

// Screenshots for a person to look at are opt-in (A11Y_SCREENS=1): they double the crawl's time.
const takeScreens = !!process.env.A11Y_SCREENS;

const screens = path.join(process.cwd(), 'test-results', 'screens', 'a11y');

for (const role of roles) {
  test(`axe: every page of ${role.label} at 1280 and 375 px`, async ({ page }) => {
    test.setTimeout(900_000);
    mkdirSync(screens, { recursive: true });
    await page.setViewportSize({ width: 1280, height: 860 });
    await signIn(page, role.username, demoPassword);
    // Demo accounts need no second factor.
    await expect(page.getByTestId('header-unit').or(page.getByTestId('teacher-username'))).toBeVisible();
    const home = new URL(page.url()).pathname;
    const queue = [home, ...(await linksOn(page))];
    const seen = new Set<string>();
    const failures: string[] = [];
    let visited = 0;
    while (queue.length && visited < 60) {
      const href = queue.shift()!;
      const shape = shapeOf(href.split('?')[0]);
      if (seen.has(shape)) continue;
      seen.add(shape);
      const response = await page.goto(href).catch(() => null);
      if (!response || response.status() >= 400 || new URL(page.url()).pathname.startsWith('/login')) continue;
      visited++;
      // The console's own links (navigation, lists) lead one level further.
      if (href === home || !href.includes('/', 1) || queue.length < 40) queue.push(...(await linksOn(page)));
      const name = `${role.label}${shape.replaceAll('/', '_').replaceAll(':', '')}`;
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: width === 1280 ? 860 : 812 });
        for (const violation of await axeViolations(page)) {
          const line = `${href} @${width}px: ${violation}`;
          failures.push(line);
          // Written as found, so a run cut short still names what it saw.
          appendFileSync(path.join(screens, 'violations.txt'), `${role.label} ${line}\n`);
        }
        if (takeScreens) await page.screenshot({ path: path.join(screens, `${name}-${width}.png`), fullPage: false });
      }
      await page.setViewportSize({ width: 1280, height: 860 });
    }
    console.log(`${role.label}: ${visited} pages checked at 1280 and 375 px`);
    expect(visited).toBeGreaterThan(role.label === 'teacher' || role.label === 'institution' ? 1 : 4);
    expect(failures).toEqual([]);
    await signOut(page);
  });
}
