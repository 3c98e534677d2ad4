export * from './metric';
export * from './example';
