export * from './monitor-test.client';
export * from './upstream.error';
export * from './upstream.module';
