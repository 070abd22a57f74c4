'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/action';
import { buildCredentialSheet } from '@/lib/accounts/credential-sheet';
import { accountIdSchema, addUniversityManagerSchema, issueCredentialsSchema, setAccountStatusSchema } from '@/lib/accounts/schemas';
import {
  addUniversityManager,
  issueSubordinateCredentials,
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

/** Issues initial passwords and answers the credential sheet; the passwords are never shown again. */
export const issueCredentialsAction = defineAction(
  'account.credentials.issue',
  issueCredentialsSchema,
  async (actor, input) => {
    const issued = await issueSubordinateCredentials(actor, input);
    const now = new Date();
    const sheet = await buildCredentialSheet(issued, `${actor.unitName}（${actor.username}）`, now);
    const stamp = now.toISOString().slice(0, 16).replace(/[-:T]/g, '');
    return { fileName: `账号分发表-${actor.unitCode}-${stamp}.xlsx`, base64: sheet.toString('base64'), count: issued.length };
  },
  () => revalidatePath('/accounts/credentials'),
);

export const addUniversityManagerAction = defineAction('account.create', addUniversityManagerSchema, addUniversityManager, () => revalidatePath('/accounts/university-managers'));
