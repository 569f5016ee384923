export {};
export * from './fake-clock.js';
export * from './fake-client.js';
export * from './builders.js';
export * from './processes.js';
export * from './control-plane.js';
export * from './cluster.js';
