'use client';

import { useRouter } from 'next/navigation';
import { useSyncExternalStore } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface Datum {
  label: string;
  count: number;
  /** Drill-down target of a bar. */
  href?: string;
}

const palette = ['#1d4ed8', '#0891b2', '#16a34a', '#ca8a04', '#dc2626', '#7c3aed', '#0d9488', '#ea580c', '#4b5563', '#9333ea'];
/** One colour per gender in every chart (the pie and the age pyramid). */
export const genderColors: Record<string, string> = { 男: '#1d4ed8', 女: '#db2777' };
const numberFormat = (value: unknown) => Number(value).toLocaleString('zh-CN');

function share(count: number, total: number): string {
  return total === 0 ? '0%' : `${Math.round((count / total) * 1000) / 10}%`;
}

/** The chart's figures as a table: the accessible alternative, also handy to copy. */
function DataTable({ data, caption }: { data: Datum[]; caption: string }) {
  const total = data.reduce((sum, d) => sum + d.count, 0);
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-xs text-brand-700">表格查看</summary>
      <table className="mt-2 w-full" data-testid="chart-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="table-head">
          <tr>
            <th className="px-2 py-1">项目</th>
            <th className="px-2 py-1 text-right">人数</th>
            <th className="px-2 py-1 text-right">占比</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {data.map((d) => (
            <tr key={d.label}>
              <td className="px-2 py-1">{d.href ? <a href={d.href} className="text-brand-700 hover:underline">{d.label}</a> : d.label}</td>
              <td className="px-2 py-1 text-right tabular-nums">{numberFormat(d.count)}</td>
              <td className="px-2 py-1 text-right tabular-nums">{share(d.count, total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function summaryOf(title: string, data: Datum[]): string {
  const total = data.reduce((sum, d) => sum + d.count, 0);
  return `${title}：${data.map((d) => `${d.label} ${d.count} 人（${share(d.count, total)}）`).join('，') || '暂无数据'}`;
}

/** Charts draw in the browser only: the server sends the card, the table and the text alternative. */
function useInBrowser(): boolean {
  return useSyncExternalStore(
    () => () => {},
    () => true,
    () => false,
  );
}

function ChartSkeleton({ height }: { height: number }) {
  return <div className="animate-pulse rounded bg-slate-50" style={{ height }} aria-hidden="true" />;
}

export function ChartCard({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="card min-w-0 p-4" data-testid={testId}>
      <h2 className="mb-2 text-sm font-semibold text-slate-800">{title}</h2>
      {children}
    </section>
  );
}

/** Bars, horizontal when labels are long or many; a bar with a link drills down on click. */
export function BarChartCard({ title, data, testId, horizontal, labelWidth = 110 }: { title: string; data: Datum[]; testId?: string; horizontal?: boolean; labelWidth?: number }) {
  const router = useRouter();
  const inBrowser = useInBrowser();
  const vertical = horizontal ?? (data.length > 6 || data.some((d) => d.label.length > 6));
  const height = vertical ? Math.max(160, data.length * 28 + 40) : 240;
  return (
    <ChartCard title={title} testId={testId}>
      {data.length === 0 ? (
        <p className="py-8 text-center text-sm text-slate-500">暂无数据</p>
      ) : (
        <div role="img" aria-label={summaryOf(title, data)} style={{ height }}>
          {!inBrowser ? <ChartSkeleton height={height} /> : <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} layout={vertical ? 'vertical' : 'horizontal'} margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              {vertical ? (
                <>
                  <XAxis type="number" tickFormatter={numberFormat} fontSize={11} allowDecimals={false} />
                  <YAxis type="category" dataKey="label" width={labelWidth} fontSize={11} interval={0} />
                </>
              ) : (
                <>
                  <XAxis dataKey="label" fontSize={11} interval={0} />
                  <YAxis tickFormatter={numberFormat} fontSize={11} width={48} allowDecimals={false} />
                </>
              )}
              <Tooltip formatter={(value) => [numberFormat(value), '人数']} />
              <Bar
                dataKey="count"
                maxBarSize={36}
                fill="#1d4ed8"
                isAnimationActive={false}
                cursor={data.some((d) => d.href) ? 'pointer' : undefined}
                onClick={(entry) => {
                  const href = (entry.payload as Datum | undefined)?.href;
                  if (href) router.push(href);
                }}
              />
            </BarChart>
          </ResponsiveContainer>}
        </div>
      )}
      <DataTable data={data} caption={title} />
    </ChartCard>
  );
}

/** A donut whose slices say their share; the legend gives each count. `colors` pins a colour to a label. */
export function PieChartCard({ title, data, testId, colors }: { title: string; data: Datum[]; testId?: string; colors?: Record<string, string> }) {
  const inBrowser = useInBrowser();
  const total = data.reduce((sum, d) => sum + d.count, 0);
  const colorOf = (d: Datum, i: number) => colors?.[d.label] ?? palette[i % palette.length];
  return (
    <ChartCard title={title} testId={testId}>
      {data.length === 0 ? (
        <p className="py-8 text-center text-sm text-slate-500">暂无数据</p>
      ) : (
        <div role="img" aria-label={summaryOf(title, data)} className="h-64">
          {!inBrowser ? <ChartSkeleton height={256} /> : <ResponsiveContainer width="100%" height="100%">
            <PieChart>
              <Pie
                data={data}
                dataKey="count"
                nameKey="label"
                innerRadius="42%"
                outerRadius="70%"
                isAnimationActive={false}
                labelLine={false}
                // Shares under 4 % would crowd one another; the legend still gives them.
                label={({ value, x, y, textAnchor }) => (Number(value) / (total || 1) >= 0.04 ? <text x={x} y={y} textAnchor={textAnchor} dominantBaseline="central" fontSize={11} fill="#334155">{share(Number(value), total)}</text> : null)}
              >
                {data.map((d, i) => (
                  <Cell key={d.label} fill={colorOf(d, i)} />
                ))}
              </Pie>
              <Tooltip formatter={(value, name) => [`${numberFormat(value)}（${share(Number(value), total)}）`, String(name)]} />
              <Legend verticalAlign="bottom" iconSize={10} wrapperStyle={{ fontSize: 12 }} formatter={(value, entry) => `${value} ${numberFormat((entry.payload as unknown as Datum | undefined)?.count ?? 0)}`} />
            </PieChart>
          </ResponsiveContainer>}
        </div>
      )}
      <DataTable data={data} caption={title} />
    </ChartCard>
  );
}

/** The age pyramid: men to the left, women to the right, one bar per five-year band. */
export function PyramidCard({ rows }: { rows: { band: string; men: number; women: number }[] }) {
  const data = [...rows].reverse().map((row) => ({ band: row.band, men: -row.men, women: row.women }));
  const total = rows.reduce((sum, row) => sum + row.men + row.women, 0);
  const inBrowser = useInBrowser();
  if (total === 0)
    return (
      <ChartCard title="年龄结构（按性别）" testId="chart-pyramid">
        <p className="py-8 text-center text-sm text-slate-500">暂无数据</p>
      </ChartCard>
    );
  return (
    <ChartCard title="年龄结构（按性别）" testId="chart-pyramid">
      <div role="img" aria-label={`年龄结构：${rows.map((r) => `${r.band} 男 ${r.men} 人、女 ${r.women} 人`).join('，')}`} className="h-72">
        {!inBrowser ? <ChartSkeleton height={288} /> : <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" stackOffset="sign" margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis type="number" tickFormatter={(v) => numberFormat(Math.abs(Number(v)))} fontSize={11} allowDecimals={false} />
            <YAxis type="category" dataKey="band" width={76} fontSize={11} interval={0} />
            <Tooltip formatter={(value, name) => [numberFormat(Math.abs(Number(value))), name === 'men' ? '男' : '女']} />
            <Legend formatter={(value) => (value === 'men' ? '男' : '女')} wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="men" stackId="age" fill={genderColors['男']} isAnimationActive={false} />
            <Bar dataKey="women" stackId="age" fill={genderColors['女']} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>}
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-xs text-brand-700">表格查看</summary>
        <table className="mt-2 w-full" data-testid="chart-table">
          <caption className="sr-only">年龄结构</caption>
          <thead className="table-head">
            <tr>
              <th className="px-2 py-1">年龄段</th>
              <th className="px-2 py-1 text-right">男</th>
              <th className="px-2 py-1 text-right">女</th>
              <th className="px-2 py-1 text-right">占比</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.band}>
                <td className="px-2 py-1">{row.band}</td>
                <td className="px-2 py-1 text-right tabular-nums">{numberFormat(row.men)}</td>
                <td className="px-2 py-1 text-right tabular-nums">{numberFormat(row.women)}</td>
                <td className="px-2 py-1 text-right tabular-nums">{share(row.men + row.women, total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </ChartCard>
  );
}
