export * from './organisations';
export * from './software';
export * from './repositories';
export * from './releases';
export * from './reuses';
export * from './api-tokens';
export * from './audit-events';
export * from './federation';
