export * from './http-servers';
export * from './png';
export * from './processes';
export * from './in-process';
