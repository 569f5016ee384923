/**
 * Registers every mkctl subcommand on the commander program. Each registration parses its
 * flags and hands a `Runner` to `run`, which builds the Context and records the exit code.
 */
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { runGet, type GetOptions } from './get.js';

export type Run = (cmd: Command, fn: (ctx: Context) => Promise<number>) => Promise<void>;

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
export { collect };

export function registerCommands(program: Command, run: Run): void {
  program
    .command('get')
    .description('Display one or many resources')
    .argument('[args...]', 'TYPE[,TYPE] [NAME...] | TYPE/NAME ...')
    .option('-o, --output <format>', 'json|yaml|name|wide|jsonpath=...')
    .option('-l, --selector <selector>', 'label selector')
    .option('--field-selector <selector>', 'field selector')
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option('-w, --watch', 'watch for changes after listing')
    .option('--show-labels', 'show labels as the last column')
    .option('--no-headers', 'do not print headers')
    .action((args: string[], opts: GetOptions, cmd: Command) => run(cmd, (ctx) => runGet(ctx, args, opts)));
}
