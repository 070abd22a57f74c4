import 'server-only';
import type { Executor } from '@/lib/db';
import { caseEvents } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { mayAct } from '@/lib/auth/relations';
import { recordAudit } from '@/lib/audit/service';
import { ConflictError, ForbiddenError, ValidationError } from '@/lib/errors';
import { partiesOf, resolveAction, type Chain, type PartyResolver, type ResolvedAction } from './chain';

export interface TransitionRequest<S extends string, P extends string, A extends string, C> {
  /** The case table's name, as the timeline and the audit log know it ('transfer', 'record.addition' …). */
  flow: string;
  chain: Chain<S, P, A, C>;
  parties: PartyResolver<P, C>;
  /** Each party's name for refusals: "该环节由调出学校办理". */
  partyLabels: Record<P, string>;
  subject: C & { id: number; state: S };
  action: A;
  reason?: string | null;
  /** The conditional UPDATE: it must hold the expected state in its WHERE clause and answer whether a row moved. */
  advance: (tx: Executor, step: ResolvedAction<S, P, A>) => Promise<boolean>;
  /** The timeline row; by default one case_events row. The collection flows write the record's own timeline. */
  timeline?: (tx: Executor, step: ResolvedAction<S, P, A>) => Promise<void>;
  /** The audit row; its action defaults to `<flow>.<action>`. */
  audit: { action?: string; unitPath: string; targetType: string; targetId: number; detail?: Record<string, unknown> | (() => Record<string, unknown>) };
  /** Values the step recorded (a leaving month …), kept on the timeline row; a function when \`advance\` finds them. */
  detail?: Record<string, string> | (() => Record<string, string> | undefined);
}

/**
 * The workflow kit's one way to take a step: the step table says which party acts and where the
 * action leads; `mayAct` (lib/auth/relations.ts) decides whether the actor is that party; the UPDATE
 * moves only from the expected state, so a race loses with a conflict; the timeline and audit rows
 * are written in the same transaction. Answers the step taken.
 */
export async function transition<S extends string, P extends string, A extends string, C>(tx: Executor, actor: Actor, request: TransitionRequest<S, P, A, C>): Promise<ResolvedAction<S, P, A>> {
  const { subject } = request;
  const step = resolveAction(request.chain, subject, subject.state, request.action);
  if (!step) {
    const open = request.chain[subject.state];
    throw new ConflictError(open ? `当前环节（${open.label}）不能执行该操作，请刷新后查看` : '该事项已办结，不能再办理');
  }
  if (!mayAct(actor, request.parties(subject, step.party))) {
    // A party of the case whose turn it is not gets a conflict (the case moved on, or is not there yet); anyone else is refused.
    const isParty = partiesOf(request.chain).some((party) => mayAct(actor, request.parties(subject, party)));
    if (isParty) throw new ConflictError(`该事项当前为“${request.chain[subject.state]!.label}”，由${request.partyLabels[step.party]}办理，请刷新后查看`);
    throw new ForbiddenError(`该环节由${request.partyLabels[step.party]}办理`);
  }
  const reason = request.reason?.trim() ?? '';
  if (step.requiresReason && reason.length < 2) throw new ValidationError(`${step.label}须填写原因`, { reason: ['请填写原因（至少 2 个字）'] });
  if (!(await request.advance(tx, step))) throw new ConflictError('该事项刚被他人办理，请刷新后查看');
  if (request.timeline) await request.timeline(tx, step);
  else {
    await tx.insert(caseEvents).values({
      flow: request.flow,
      caseId: subject.id,
      action: step.action,
      fromState: subject.state,
      toState: step.to,
      reason: reason || null,
      detail: (typeof request.detail === 'function' ? request.detail() : request.detail) ?? null,
      accountId: actor.accountId,
      accountName: actor.displayName,
      unitId: actor.unitId,
      unitName: actor.unitName,
    });
  }
  await recordAudit(tx, actor, { action: request.audit.action ?? `${request.flow}.${step.action}`, unitPath: request.audit.unitPath, targetType: request.audit.targetType, targetId: request.audit.targetId, detail: { ...(typeof request.audit.detail === 'function' ? request.audit.detail() : request.audit.detail), from: subject.state, to: step.to, ...(reason ? { reason } : {}) } });
  return step;
}

/** The first timeline row of a case (its filing), written by the flow that creates it. */
export async function recordCaseOpened(tx: Executor, actor: Actor, flow: string, caseId: number, state: string, reason: string | null): Promise<void> {
  await tx.insert(caseEvents).values({ flow, caseId, action: 'file', fromState: null, toState: state, reason, accountId: actor.accountId, accountName: actor.displayName, unitId: actor.unitId, unitName: actor.unitName });
}
