export * from './health.module';
export * from './health.controller';
export * from './readiness.registry';
