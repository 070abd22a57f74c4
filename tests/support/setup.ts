import { afterAll, beforeAll } from 'vitest';
import { closeConnection, getConnection } from '@/lib/db/client';
import { closeJobQueue } from '@/lib/db/job-queue';
import { initializeReferenceData } from '@/lib/setup/service';

beforeAll(async () => {
  const connection = await getConnection();
  await connection.migrate();
  await initializeReferenceData(connection.db);
});

afterAll(async () => {
  await closeJobQueue();
  await closeConnection();
});
