import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] items-center justify-center px-4">
      <div className="card max-w-md p-6 text-center" data-testid="not-found">
        <h1 className="text-lg font-semibold">未找到</h1>
        <p className="mt-2 text-sm text-slate-600">您访问的记录不存在，或不在您的管辖范围内。</p>
        <Link href="/" className="btn-primary mt-4">
          返回首页
        </Link>
      </div>
    </main>
  );
}
