export * from './lib/service-kit';
