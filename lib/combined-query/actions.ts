'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/action';
import { combinedQueryInputSchema } from './schemas';
import { startCombinedQuery } from './service';

export const startCombinedQueryAction = defineAction('statistics.query.run', combinedQueryInputSchema, startCombinedQuery, () => revalidatePath('/statistics/query'));
