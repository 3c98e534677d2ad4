export * from './config';
export * from './bootstrap';
export * from './health';
export * from './logging';
export * from './service-kit.module';
export * from './shutdown';
export * from './tokens';
export * from './json-reply';
