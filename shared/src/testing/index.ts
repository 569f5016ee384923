export {};
export * from './fake-clock.js';
