/**
 * Logger setup for a process's root logger. Only a process's main module calls
 * `newRootLogger`; library code takes a logger (or a child of it) as a parameter.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function newRootLogger(component: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { component, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** A logger that drops everything, for tests and library defaults. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
