import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: '师管 · 教师管理信息系统', template: '%s · 师管' },
  description: '全国教师管理信息系统',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the request makes every page render per request, so that Next can put this request's
  // CSP nonce on its scripts (a page prerendered at build time would carry none).
  await headers();
  return (
    <html lang="zh-CN">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
