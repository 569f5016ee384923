/**
 * Entry point `@mk8s/shared/metrics`: Prometheus helpers that load prom-client. Kept out of
 * the main entry so that clients such as mkctl don't pay for loading prom-client.
 */
export * from './workqueue-metrics.js';
