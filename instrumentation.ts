/**
 * Server start: housekeeping now and every hour — seal finished days of the audit log (one node wins
 * the lock) and remove import files past their retention time.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ sealAuditDays }, { purgeImportLeftovers }] = await Promise.all([import('@/lib/audit-integrity/service'), import('@/lib/teacher-import/service')]);
  const housekeeping = async () => {
    if (process.env.AUDIT_SEAL_KEY) await sealAuditDays().catch((error: Error) => console.error('[audit] sealing failed:', error.message));
    await purgeImportLeftovers().catch((error: Error) => console.error('[import] purging leftovers failed:', error.message));
  };
  setTimeout(housekeeping, 30_000).unref();
  setInterval(housekeeping, 60 * 60_000).unref();
}
