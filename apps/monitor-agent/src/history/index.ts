export * from './history.module';
export * from './history.poller';
export * from './history.store';
export * from './ring';
