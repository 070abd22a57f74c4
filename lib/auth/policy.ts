import { ForbiddenError } from '@/lib/errors';
import type { Actor } from './actor';

export type Permission =
  | 'unit.browse'
  | 'account.manage'
  | 'credential.issue'
  | 'account.addUniversityManager'
  | 'school.import'
  | 'audit.read'
  | 'teacher.list'
  | 'teacher.create'
  | 'teacher.edit'
  | 'teacher.import'
  | 'indicator.configure'
  | 'record.submit'
  | 'record.delegateReview'
  | 'record.review'
  | 'record.fileChange'
  | 'record.addInfo'
  | 'progress.view'
  | 'collection.steer'
  | 'security.configure'
  | 'transfer.view'
  | 'transfer.file'
  | 'transfer.act'
  | 'status.record'
  | 'status.confirm'
  | 'rotation.view'
  | 'rotation.file'
  | 'rotation.act'
  | 'rotation.plan'
  | 'rotation.target'
  | 'training.view'
  | 'training.manage'
  | 'training.approve'
  | 'training.nominate'
  | 'training.results'
  | 'training.confirm'
  | 'training.rules'
  | 'training.ledger'
  | 'training.file';

/** Tiers that have a security auditor (安全审计员) account. */
export const auditorTiers: readonly string[] = ['central', 'province'];

/** What each role may do; jurisdiction (which rows) is decided separately in scope.ts. */
export function can(actor: Actor, permission: Permission): boolean {
  const staff = actor.role === 'sysadmin' || actor.role === 'manager' || actor.role === 'viewer';
  switch (permission) {
    case 'unit.browse':
      return staff;
    case 'account.manage':
      return actor.role === 'sysadmin';
    case 'audit.read':
      // 三员分立: where a security auditor exists (ministry, provinces) the sysadmin no longer reads the log.
      return auditorTiers.includes(actor.unitTier) ? actor.role === 'auditor' : actor.role === 'sysadmin';
    case 'credential.issue':
      return actor.role === 'sysadmin' && actor.unitKind === 'authority';
    case 'teacher.list':
      return staff;
    case 'teacher.create':
      // Seed 六(一): the school's sysadmin generates teacher accounts.
      return actor.role === 'sysadmin' && actor.unitKind === 'school';
    case 'teacher.edit':
      // Seed 四(二): information managers enter data for their own unit and those below.
      return actor.role === 'manager';
    case 'teacher.import':
      return actor.role === 'manager' && actor.unitKind === 'school';
    case 'indicator.configure':
      return actor.role === 'sysadmin' && actor.unitTier === 'province';
    case 'record.submit':
      // Seed 六(二): the school head reviews and reports; the sysadmin may hand that right to the manager.
      return actor.unitKind === 'school' && (actor.role === 'sysadmin' || (actor.role === 'manager' && actor.mayReviewRecords));
    case 'record.delegateReview':
      return actor.unitKind === 'school' && actor.role === 'sysadmin';
    case 'record.review':
      // The competent authority's information manager approves what its schools report.
      return actor.role === 'manager' && actor.unitKind === 'authority';
    case 'record.fileChange':
      return actor.role === 'manager' && actor.unitKind === 'school';
    case 'record.addInfo':
      return actor.role === 'teacher' || (actor.role === 'manager' && actor.unitKind === 'school');
    case 'progress.view':
      return staff && actor.unitKind === 'authority';
    case 'collection.steer':
      // Deadlines and reminders (seed 六(四)).
      return actor.role === 'manager' && actor.unitKind === 'authority';
    case 'transfer.view':
      return staff;
    case 'transfer.file':
      // Seed 七(一)1: the receiving school files the request.
      return actor.role === 'manager' && actor.unitKind === 'school';
    case 'transfer.act':
      // Each party's information manager takes its step; which party acts is the chain's (lib/transfers/chain.ts).
      return actor.role === 'manager' && (actor.unitKind === 'school' || actor.unitKind === 'authority');
    case 'status.record':
      // Seed 七(一)2: the school's information manager records changes of 人员状态.
      return actor.role === 'manager' && actor.unitKind === 'school';
    case 'status.confirm':
      return actor.role === 'manager' && actor.unitKind === 'authority';
    case 'rotation.view':
      return staff;
    case 'rotation.file':
      // Seed 七(二): the home school (派出学校) files the rotation.
      return actor.role === 'manager' && actor.unitKind === 'school';
    case 'rotation.act':
      // Which party acts is the chain's (lib/rotations/chain.ts).
      return actor.role === 'manager' && (actor.unitKind === 'school' || actor.unitKind === 'authority');
    case 'rotation.plan':
      return staff && actor.unitKind === 'authority';
    case 'rotation.target':
      // The county sets its yearly targets (县域内义务教育学校交流轮岗).
      return actor.role === 'manager' && actor.unitKind === 'authority' && actor.unitTier === 'county';
    case 'training.view':
      return staff;
    case 'training.manage':
      // Seed 七(三): each authority registers its institutions and projects; a school its 校本研修 projects.
      return actor.role === 'manager' && (actor.unitKind === 'authority' || actor.unitKind === 'school');
    case 'training.approve':
    case 'training.confirm':
      // Which authority acts is the chain's (lib/training/chain.ts): the school's, the project's or the teacher's province.
      return actor.role === 'manager' && actor.unitKind === 'authority';
    case 'training.nominate':
      return actor.role === 'manager' && actor.unitKind === 'school';
    case 'training.results':
      // The institution's submitting account (培训结果报送员).
      return actor.role === 'institution';
    case 'training.rules':
      // 学时学分转化规则: each province's sysadmin; the ministry's is the national default.
      return actor.role === 'sysadmin' && (actor.unitTier === 'central' || actor.unitTier === 'province');
    case 'training.file':
      // 校本研修 and 自主研修 hours: the teacher on the phone, or the school's manager for the teacher.
      return actor.role === 'teacher' || (actor.role === 'manager' && actor.unitKind === 'school');
    case 'training.ledger':
      return staff;
    case 'security.configure':
      // Password lifetimes: the ministry for its own accounts, each province for its tiers (seed 四(二)).
      return actor.role === 'sysadmin' && (actor.unitTier === 'central' || actor.unitTier === 'province');
    case 'account.addUniversityManager':
    case 'school.import':
      return actor.role === 'sysadmin' && (actor.unitTier === 'central' || actor.unitTier === 'province');
  }
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new ForbiddenError();
}
