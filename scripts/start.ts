/**
 * `npm start`: build if needed, migrate, initialise the national tree, seed the demo into an empty
 * database, then serve. Works with no .env: the embedded PGlite and a local AUTH_SECRET are used.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
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

/** Build stages as Next prints them, and what a newcomer reads instead. */
const buildStages: [RegExp, string][] = [
  [/Creating an optimized production build/, '编译页面与服务端代码'],
  [/Running TypeScript/, '类型检查'],
  [/Collecting page data/, '收集页面信息'],
  [/Generating static pages/, '生成页面'],
  [/Finalizing page optimization/, '收尾优化'],
];

function buildIfNeeded(): Promise<void> {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  const sources = ['app', 'components', 'lib', 'proxy.ts', 'next.config.js', 'package.json'];
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (built && sources.every((s) => newestMtime(path.join(root, s)) <= built)) return Promise.resolve();
  // Measured on a 2-core machine: 71 s with Next's build cache, about 3 minutes without (a fresh clone).
  console.log('首次启动需要构建应用：2 核机器实测 1 至 3 分钟，之后的启动无需再构建。完整日志：.data/build.log');
  mkdirSync(path.join(root, '.data'), { recursive: true });
  const logFile = path.join(root, '.data', 'build.log');
  const log = createWriteStream(logFile);
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} 秒`;
  return new Promise<void>((resolve) => {
    const child = spawn(path.join(root, 'node_modules', '.bin', 'next'), ['build'], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = -1;
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      for (const line of chunk.toString().split(/\r?\n/)) {
        const stage = buildStages.findIndex(([pattern]) => pattern.test(line));
        if (stage > seen) {
          seen = stage;
          console.log(`  [${stage + 1}/${buildStages.length}] ${buildStages[stage][1]}…（已用 ${elapsed()}）`);
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      log.end(() => {
        if (code === 0) {
          console.log(`构建完成，用时 ${elapsed()}`);
          return resolve();
        }
        console.error(`构建失败（退出码 ${code}），日志末尾：\n${readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n')}`);
        process.exit(code ?? 1);
      });
    });
  });
}

/** Terminal columns of a string: CJK characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char.codePointAt(0)! >= 0x2e80 ? 2 : 1;
  return width;
}

const padCell = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

function printAccounts(accounts: DemoAccount[]) {
  console.log(`\n演示账号（统一密码：${demoPassword}，演示账号免强制改密；教师以身份证件号码登录）:`);
  const rows = [['层级', '角色', '账号', '单位'], ...accounts.map((a) => [a.tier, a.personName ? `${a.role}（${a.personName}）` : a.role, a.username, a.unitName])];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => displayWidth(row[column]))));
  for (const [index, row] of rows.entries()) {
    console.log(`  ${row.map((cell, column) => padCell(cell, widths[column])).join('  ').trimEnd()}`);
    if (index === 0) console.log(`  ${widths.map((width) => '─'.repeat(width)).join('  ')}`);
  }
}

/** Waits until the server answers, so that the address is printed when it can be opened. */
async function waitUntilServing(url: string): Promise<boolean> {
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status < 500) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
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
  await buildIfNeeded();
  const demo = await prepareDatabase();
  serveBuiltApp(port);
  const url = `http://localhost:${port}`;
  if (!(await waitUntilServing(`${url}/login`))) console.error('服务启动超时，请查看上方日志。');
  if (demo.length) printAccounts(demo);
  console.log(`\n师管 教师管理信息系统已就绪：${url}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
