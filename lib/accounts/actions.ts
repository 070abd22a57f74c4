'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/action';
import { requestCredentialSheet } from '@/lib/accounts/credential-sheets/service';
import { accountIdSchema, addUniversityManagerSchema, issueCredentialsSchema, setAccountStatusSchema } from '@/lib/accounts/schemas';
import {
  addUniversityManager,
  resetAccountPassword,
  resetSecondFactor,
  setAccountStatus,
  unlockAccount,
} from '@/lib/accounts/service';

const refreshAccounts = () => revalidatePath('/accounts');

export const resetAccountPasswordAction = defineAction('account.password.reset', accountIdSchema, resetAccountPassword, refreshAccounts);
export const unlockAccountAction = defineAction('account.unlock', accountIdSchema, unlockAccount, refreshAccounts);
export const resetSecondFactorAction = defineAction('account.totp.reset', accountIdSchema, resetSecondFactor, refreshAccounts);
export const setAccountStatusAction = defineAction('account.status', setAccountStatusSchema, setAccountStatus, refreshAccounts);

/** Queues a credential sheet: the worker sets the initial passwords and stores the sheet for one download. */
export const requestCredentialSheetAction = defineAction('account.credentials.request', issueCredentialsSchema, requestCredentialSheet, () => revalidatePath('/accounts/credentials'));

export const addUniversityManagerAction = defineAction('account.create', addUniversityManagerSchema, addUniversityManager, () => revalidatePath('/accounts/university-managers'));
