// Every module's tables, gathered for drizzle-kit and the typed client.
export * from '../modules/iam/schema.js';
export * from '../modules/audit/schema.js';
export * from '../modules/jobs/schema.js';
export * from '../modules/registry/schema.js';
