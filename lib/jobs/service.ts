import 'server-only';
import { z } from 'zod';
import { jobQueues, reportJobQueueErrorsTo, workJobs } from '@/lib/db/job-queue';
import { resumeUnfinishedQueryRuns, runQueryJob } from '@/lib/combined-query/service';
import { logUnexpected } from '@/lib/log';
import { runTeacherExport } from '@/lib/teacher-export/service';
import { exportJobKinds, resumeUnfinishedExportJobs } from '@/lib/export-jobs/service';
import { resumeUnfinishedImports, runImportJob } from '@/lib/teacher-import/service';
import { resumeUnfinishedRechecks, runSettingsRecheck } from '@/lib/indicators/service';
import { runCredentialSheet } from '@/lib/accounts/credential-sheets/service';

const jobIdData = z.object({ jobId: z.string().uuid() });

/**
 * This node's workers for every queue. Each app node runs them unless JOB_WORKERS=off (a web-only
 * node); `npm run worker` runs a node that does nothing else.
 */
export async function startJobWorkers(): Promise<void> {
  reportJobQueueErrorsTo((error) => logUnexpected('job-queue', error));
  await resumeUnfinishedExportJobs(exportJobKinds.teachers);
  await resumeUnfinishedImports();
  await resumeUnfinishedQueryRuns();
  await resumeUnfinishedRechecks();
  await resumeUnfinishedExportJobs(exportJobKinds.credentials);
  await workJobs(jobQueues.teacherExport, async (data, attempt) => runTeacherExport(jobIdData.parse(data).jobId, attempt));
  await workJobs(jobQueues.teacherImport, async (data) => runImportJob(jobIdData.parse(data).jobId));
  await workJobs(jobQueues.combinedQuery, async (data, attempt) => runQueryJob(jobIdData.parse(data).jobId, attempt));
  await workJobs(jobQueues.settingsRecheck, async (data) => runSettingsRecheck(jobIdData.parse(data).jobId));
  await workJobs(jobQueues.credentialSheet, async (data, attempt) => runCredentialSheet(jobIdData.parse(data).jobId, attempt));
}
