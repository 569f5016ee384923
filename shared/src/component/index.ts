export * from './flags.js';
export * from './process.js';
