/** Readers are exact either way; this bounds how many pending deltas a dashboard sums. */
const foldIntervalMs = 2_000;

/**
 * Server start: this node's workers on the durable job queue (exports), the statistics' pending deltas folded every few seconds (one node at a time), and housekeeping now and
 * every hour — seal finished days of the audit log (one node wins the lock), remove import and export files past their
 * retention time (and combined query results), and re-evaluate the training standings under conversion rule versions whose effective date has come.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ foldAndVacuumAggregateDeltas }, { sealAuditDays }, { purgeImportLeftovers }, { purgeExpiredExportFiles }, { purgeExpiredQueryRuns }, { applyDueTrainingRules }, { startJobWorkers }, { logUnexpected }] = await Promise.all([
    import('@/lib/statistics/service'),
    import('@/lib/audit-integrity/service'),
    import('@/lib/teacher-import/service'),
    import('@/lib/teacher-export/service'),
    import('@/lib/combined-query/service'),
    import('@/lib/training/conversion/service'),
    import('@/lib/jobs/service'),
    import('@/lib/log'),
  ]);
  const housekeeping = async () => {
    if (process.env.AUDIT_SEAL_KEY) await sealAuditDays().catch((error: unknown) => logUnexpected('audit-seal', error));
    await purgeImportLeftovers().catch((error: unknown) => logUnexpected('import-purge', error));
    await purgeExpiredExportFiles().catch((error: unknown) => logUnexpected('export-purge', error));
    await purgeExpiredQueryRuns().catch((error: unknown) => logUnexpected('query-run-purge', error));
    await applyDueTrainingRules().catch((error: unknown) => logUnexpected('training-rules-apply', error));
  };
  let folding = false;
  const fold = async () => {
    if (folding) return;
    folding = true;
    await foldAndVacuumAggregateDeltas()
      .catch((error: unknown) => logUnexpected('aggregate-fold', error))
      .finally(() => (folding = false));
  };
  setInterval(fold, foldIntervalMs).unref();
  // The database may not be ready at boot: the workers start as soon as it is.
  const startWorkers = () =>
    void startJobWorkers().catch((error: unknown) => {
      logUnexpected('job-workers', error);
      setTimeout(startWorkers, 30_000).unref();
    });
  if (process.env.JOB_WORKERS !== 'off') startWorkers();
  setTimeout(housekeeping, 30_000).unref();
  setInterval(housekeeping, 60 * 60_000).unref();
}
