/**
 * `npm start`: build if needed, migrate, initialise the national tree, seed the demo into an empty
 * database, then serve. Works with no .env: the embedded PGlite and a local AUTH_SECRET are used.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { closeConnection, getConnection } from '@/lib/db/client';
import { demoPassword, listDemoAccounts, seedDemoData, type DemoAccount } from '@/lib/demo/service';
import { seedLivingDemo } from '@/lib/demo/living/service';
import { initializeReferenceData, isDatabaseEmpty, issueBootstrapPassword } from '@/lib/setup/service';
import { ensureAuthSecret, serveBuiltApp } from './runtime-env';

const root = process.cwd();
const port = process.env.PORT ?? '3000';
// A government deployment sends nothing home: Next's anonymous telemetry stays off unless asked for.
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce((max, name) => Math.max(max, newestMtime(path.join(target, name))), stat.mtimeMs);
}

function buildIfNeeded() {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  const sources = ['app', 'components', 'lib', 'proxy.ts', 'next.config.js', 'package.json'];
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (built && sources.every((s) => newestMtime(path.join(root, s)) <= built)) return;
  console.log('正在构建应用（首次启动约需 1 分钟）…');
  const result = spawnSync(path.join(root, 'node_modules', '.bin', 'next'), ['build'], { stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function printAccounts(accounts: DemoAccount[]) {
  console.log(`\n演示账号（统一密码：${demoPassword}，演示账号免强制改密）:`);
  const width = Math.max(...accounts.map((a) => a.username.length));
  for (const a of accounts) console.log(`  ${a.username.padEnd(width)}  ${a.tier} ${a.role}  ${a.unitName}`);
}

async function prepareDatabase(): Promise<DemoAccount[]> {
  const connection = await getConnection();
  console.log(connection.kind === 'pglite' ? '数据库：内嵌 PostgreSQL (PGlite)，数据目录 .data/pglite' : '数据库：DATABASE_URL');
  await connection.migrate();
  const empty = await isDatabaseEmpty(connection.db);
  const created = await initializeReferenceData(connection.db);
  if (created) console.log(`已初始化全国教育行政部门 ${created} 个`);
  const seedDemo = process.env.SEED_DEMO !== 'false' && empty;
  const demo = seedDemo ? await seedDemoData(connection.db) : await listDemoAccounts(connection.db);
  if (seedDemo && process.env.SEED_DEMO_LIVING !== 'false') {
    console.log('正在写入演示数据：杭州市各区县的学校与教师（首次启动约需 1 至 2 分钟）…');
    const living = await seedLivingDemo(connection.db, { onProgress: (message) => console.log(`  ${message}`) });
    console.log(`已写入演示数据：学校 ${living.schools} 所，教师 ${living.teachers} 名（已生效 ${living.effective}，待审核 ${living.submitted}，退回 ${living.returned}，草稿 ${living.drafts}），用时 ${living.seconds} 秒`);
  } else if (seedDemo) console.log('已写入演示数据');
  const bootstrap = await issueBootstrapPassword(connection.db);
  if (bootstrap) {
    console.log(`\n教育部系统管理员 ${bootstrap.username} 尚无密码，已生成初始密码：${bootstrap.password}`);
    console.log('请立即登录并修改。此密码不会再次显示。');
  }
  await closeConnection();
  return demo;
}

async function main() {
  ensureAuthSecret();
  buildIfNeeded();
  const demo = await prepareDatabase();
  serveBuiltApp(port);
  console.log(`\n师管 教师管理信息系统：http://localhost:${port}`);
  if (demo.length) printAccounts(demo);
  console.log('');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
