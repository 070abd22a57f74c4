export * from './units';
export * from './accounts';
export * from './audit';
export * from './rollups';
export * from './teachers';
export * from './workflow';
export * from './statistics';
export * from './cases';
