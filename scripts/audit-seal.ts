/** `npm run audit:seal`: seals every finished day of the audit log (the server also does this hourly). */
import { closeConnection } from '@/lib/db/client';
import { sealAuditDays } from '@/lib/audit-integrity/service';
import { ensureAuthSecret } from './runtime-env';

ensureAuthSecret();
const { sealed } = await sealAuditDays();
console.log(sealed.length ? `已封存 ${sealed.length} 天：${sealed.join('、')}` : '没有需要封存的日期');
await closeConnection();
