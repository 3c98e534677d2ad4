export * from './api.module';
export * from './query-params';
