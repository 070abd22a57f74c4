'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/action';
import { saveIndicatorSettingsSchema } from './schemas';
import { saveIndicatorSettings } from './service';

export const saveIndicatorSettingsAction = defineAction('indicator.settings.save', saveIndicatorSettingsSchema, saveIndicatorSettings, () => revalidatePath('/indicators'));
