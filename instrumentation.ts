/**
 * Server start: housekeeping now and every hour — seal finished days of the audit log (one node wins
 * the lock) and remove import files past their retention time.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ sealAuditDays }, { purgeImportLeftovers }, { logUnexpected }] = await Promise.all([import('@/lib/audit-integrity/service'), import('@/lib/teacher-import/service'), import('@/lib/log')]);
  const housekeeping = async () => {
    if (process.env.AUDIT_SEAL_KEY) await sealAuditDays().catch((error: unknown) => logUnexpected('audit-seal', error));
    await purgeImportLeftovers().catch((error: unknown) => logUnexpected('import-purge', error));
  };
  setTimeout(housekeeping, 30_000).unref();
  setInterval(housekeeping, 60 * 60_000).unref();
}
