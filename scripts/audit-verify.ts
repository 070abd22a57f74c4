/** `npm run audit:verify`: recomputes every sealed day of the audit log; exits 1 when anything was tampered with. */
import { closeConnection } from '@/lib/db/client';
import { verifyAuditLog } from '@/lib/audit-integrity/service';
import { ensureAuthSecret } from './runtime-env';

ensureAuthSecret();
const result = await verifyAuditLog();
await closeConnection();
if (result.problems.length === 0) {
  console.log(`审计日志完整：已验证 ${result.days} 个封存日，共 ${result.rows} 条记录。`);
} else {
  console.error(`审计日志验证失败，${result.problems.length} 处问题：`);
  for (const p of result.problems) console.error(`  ${p.day}  ${p.problem}`);
  process.exit(1);
}
