import type { Actor } from '@/lib/auth/actor';
import { mayAct, type CaseParty } from '@/lib/auth/relations';

/**
 * The workflow kit's data half, client-safe: a flow is a step table (state → the party that acts →
 * the actions allowed and the state each leads to). The service, the UI's buttons and the inbox all
 * read the same table; lib/workflow/service.ts runs a step.
 */
export interface ChainAction<S extends string, P extends string, C> {
  label: string;
  /** The next state, or a rule choosing it from the case (the cross-province relay, for one). */
  to: S | ((subject: C) => S);
  /** When another party than the step's own takes it (the filer withdrawing). */
  party?: P;
  /** Rejections and returns must say why. */
  requiresReason?: boolean;
}

export interface ChainStep<S extends string, P extends string, A extends string, C> {
  /** What the step waits for, as lists show it. */
  label: string;
  party: P;
  actions: Partial<Record<A, ChainAction<S, P, C>>>;
}

export type Chain<S extends string, P extends string, A extends string, C> = Partial<Record<S, ChainStep<S, P, A, C>>>;

/** How a flow finds its parties on a case: each resolves to a unit and the right its staff need. */
export type PartyResolver<P extends string, C> = (subject: C, party: P) => CaseParty | null;

export interface ResolvedAction<S extends string, P extends string, A extends string> {
  action: A;
  label: string;
  party: P;
  to: S;
  requiresReason: boolean;
}

export function resolveAction<S extends string, P extends string, A extends string, C>(chain: Chain<S, P, A, C>, subject: C, state: S, action: A): ResolvedAction<S, P, A> | null {
  const step = chain[state];
  const spec = step?.actions[action];
  if (!step || !spec) return null;
  return { action, label: spec.label, party: spec.party ?? step.party, to: typeof spec.to === 'function' ? spec.to(subject) : spec.to, requiresReason: Boolean(spec.requiresReason) };
}

/** Every party that acts somewhere in the flow. */
export function partiesOf<S extends string, P extends string, A extends string, C>(chain: Chain<S, P, A, C>): P[] {
  const parties = new Set<P>();
  for (const step of Object.values(chain) as ChainStep<S, P, A, C>[]) {
    parties.add(step.party);
    for (const spec of Object.values(step.actions) as ChainAction<S, P, C>[]) if (spec.party) parties.add(spec.party);
  }
  return [...parties];
}

/** The party whose turn it is, or null once the case is closed. */
export function waitingParty<S extends string, P extends string, A extends string, C>(chain: Chain<S, P, A, C>, state: S): P | null {
  return chain[state]?.party ?? null;
}

/** The actions the actor may take now: the buttons a page shows, the same test the service runs. */
export function availableActions<S extends string, P extends string, A extends string, C>(actor: Actor, chain: Chain<S, P, A, C>, parties: PartyResolver<P, C>, subject: C, state: S): ResolvedAction<S, P, A>[] {
  const step = chain[state];
  if (!step) return [];
  return (Object.keys(step.actions) as A[]).map((action) => resolveAction(chain, subject, state, action)!).filter((resolved) => mayAct(actor, parties(subject, resolved.party)));
}
