/** Who is acting, re-read from the database on every request. Client-safe type only. */
export type Role = 'sysadmin' | 'manager' | 'viewer' | 'teacher' | 'institution' | 'auditor';
export type Tier = 'central' | 'province' | 'city' | 'county' | 'school';
export type UnitKind = 'authority' | 'school' | 'institution';

export interface Actor {
  accountId: number;
  username: string;
  /** The account as its holder knows it: the masked ID number for a teacher (whose account name is a hash). */
  loginLabel: string;
  displayName: string;
  role: Role;
  isDemo: boolean;
  mustChangePassword: boolean;
  /** Older than the password lifetime its ministry or province set for its tier. */
  passwordExpired: boolean;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitKind: UnitKind;
  unitTier: Tier;
  unitPath: string;
  unitParentId: number | null;
  stage: string | null;
  /** A school manager granted the school head's right to review and report records. */
  mayReviewRecords: boolean;
  /** Signs in with a second factor (TOTP). */
  totpEnabled: boolean;
  /** The client's address, for the audit log. */
  ip: string | null;
  /** The sign-in session (null for actors made outside a request, e.g. in tests and scripts). */
  sessionId: string | null;
  /** Failed sign-ins on this account that the owner has not been told of yet. */
  signinWarning: { count: number; lastAt: Date | null; lastIp: string | null } | null;
}

export const roleNames: Record<Role, string> = {
  sysadmin: '系统管理员',
  manager: '信息管理员',
  viewer: '信息查询员',
  teacher: '教师',
  institution: '培训结果报送员',
  auditor: '安全审计员',
};

export const tierNames: Record<Tier, string> = {
  central: '中央',
  province: '省级',
  city: '市级',
  county: '县级',
  school: '校级',
};

export function isStaffRole(role: Role): boolean {
  return role === 'sysadmin' || role === 'manager' || role === 'viewer';
}
