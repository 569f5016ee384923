/**
 * Registers every mkctl subcommand on the commander program. Each registration parses its
 * flags and hands a runner to `run`, which builds the Context and records the exit code.
 */
import { Option, type Command } from 'commander';
import type { Context, GlobalOptions } from '../context.js';
import { runGet, type GetOptions } from './get.js';
import { runCreateFiles, runCreateGenerated, type CreateOptions, type GeneratorKind } from './create.js';
import type { GeneratorOptions } from './generators.js';
import { runCreateToken, type TokenOptions } from './token.js';
import { runApply, assertDryRun, type ApplyOptions } from './apply.js';
import { runDelete, type DeleteCmdOptions } from './delete.js';
import { runLabel, type LabelOptions } from './label.js';
import { runScale, type ScaleOptions } from './scale.js';
import { registerMoreCommands } from './index-more.js';
import { registerExtraCommands } from './index-extra.js';

export type Run = (cmd: Command, fn: (ctx: Context) => Promise<number>) => Promise<void>;
/** For commands that may work without a server: gets the global flags and a stdout writer. */
export type RunLocal = (cmd: Command, fn: (global: GlobalOptions, write: (s: string) => void) => Promise<number>) => Promise<void>;

export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
const boolish = (v: string | undefined): boolean => v === undefined || !['false', '0', 'no'].includes(v.toLowerCase());

export function registerCommands(program: Command, run: Run, runLocal: RunLocal): void {
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
    .option('-L, --label-columns <keys>', 'a column per label key (comma-separated, repeatable)', collect)
    .option('--sort-by <jsonpath>', 'sort by a field, e.g. .metadata.creationTimestamp')
    .option('--no-headers', 'do not print headers')
    .action((args: string[], opts: GetOptions, cmd: Command) => run(cmd, (ctx) => runGet(ctx, args, opts)));

  const create = program
    .command('create')
    .description('Create a resource from a file or from stdin, or with a generator')
    .option('-f, --filename <path>', 'file, folder or - for stdin (repeatable)', collect)
    .option('-R, --recursive', 'process folders recursively (always on)')
    .option('--dry-run <mode>', 'none|server|client')
    .option('-o, --output <format>', 'output format for generators')
    .action((opts: CreateOptions, cmd: Command) => {
      assertDryRun(opts.dryRun);
      return run(cmd, (ctx) => runCreateFiles(ctx, opts));
    });
  const generator = (name: string, kind: GeneratorKind, parent: Command, alias?: string): Command => {
    const c = parent.command(name).argument('<name>');
    if (alias) c.alias(alias);
    return c
      .option('--dry-run <mode>', 'none|server|client')
      .option('-o, --output <format>', 'json|yaml|name')
      .action((...a: unknown[]) => {
        const c2 = a[a.length - 1] as Command;
        const opts = c2.opts<GeneratorOptions & CreateOptions>();
        return run(c2, (ctx) => runCreateGenerated(ctx, kind, a[0] as string, { ...opts, command: c2.args.slice(1) }));
      });
  };
  generator('namespace', 'namespace', create, 'ns').description('Create a namespace');
  generator('configmap', 'configmap', create, 'cm')
    .description('Create a config map from literals or files')
    .option('--from-literal <k=v>', 'a key and literal value (repeatable)', collect)
    .option('--from-file <[key=]path>', 'a file or folder (repeatable)', collect);
  const secret = create.command('secret').description('Create a secret');
  generator('generic', 'secret', secret)
    .description('Create a secret from literals or files')
    .option('--from-literal <k=v>', 'a key and literal value (repeatable)', collect)
    .option('--from-file <[key=]path>', 'a file or folder (repeatable)', collect)
    .option('--type <type>', 'the secret type');
  generator('deployment', 'deployment', create, 'deploy')
    .description('Create a deployment with the given image')
    .option('--image <image>', 'container image (repeatable)', collect)
    .option('--replicas <n>', 'number of replicas')
    .option('--port <port>', 'container port')
    .argument('[command...]', 'command after --');
  generator('serviceaccount', 'serviceaccount', create, 'sa').description('Create a service account');
  create
    .command('token')
    .argument('<serviceaccount>')
    .description('Request a service account token')
    .option('--duration <duration>', 'requested lifetime, e.g. 10m or 1h (the server may return a different one)')
    .option('--audience <audience>', 'an intended audience of the token (repeatable)', collect)
    .option('--bound-object-kind <kind>', 'Pod or Secret: the token dies with that object')
    .option('--bound-object-name <name>', 'the name of the bound object')
    .option('--bound-object-uid <uid>', 'the uid of the bound object')
    .action((sa: string, opts: TokenOptions, cmd: Command) => run(cmd, (ctx) => runCreateToken(ctx, sa, opts)));

  program
    .command('apply')
    .description('Apply a configuration to a resource by file name or stdin')
    .requiredOption('-f, --filename <path>', 'file, folder or - for stdin (repeatable)', collect)
    .option('-R, --recursive', 'process folders recursively (always on)')
    .option('--dry-run <mode>', 'none|server|client')
    .action((opts: ApplyOptions, cmd: Command) => {
      assertDryRun(opts.dryRun);
      return run(cmd, (ctx) => runApply(ctx, opts));
    });

  program
    .command('delete')
    .description('Delete resources by file names, stdin, resources and names, or by resources and label selector')
    .argument('[args...]')
    .option('-f, --filename <path>', 'file, folder or - (repeatable)', collect)
    .option('-R, --recursive', 'process folders recursively (always on)')
    .option('-l, --selector <selector>', 'label selector')
    .option('--field-selector <selector>', 'field selector')
    .option('--all', 'delete all resources of the type in the namespace')
    .option('-A, --all-namespaces', 'across all namespaces')
    .option('--grace-period <seconds>', 'seconds given to the resource to terminate gracefully')
    .option('--force', 'immediate deletion')
    .option('--now', 'grace period of 1 second')
    .option('--ignore-not-found', 'treat not found as success')
    .addOption(new Option('--cascade [mode]', 'background|foreground|orphan').default('background').preset('background'))
    .addOption(new Option('--wait [bool]', 'wait for the resources to be gone').default(true).argParser(boolish))
    .action((args: string[], opts: DeleteCmdOptions, cmd: Command) => run(cmd, (ctx) => runDelete(ctx, args, opts)));

  for (const [name, kind] of [
    ['label', 'label'],
    ['annotate', 'annotation'],
  ] as const) {
    program
      .command(name)
      .description(`Update the ${kind}s on a resource`)
      .argument('<args...>', `TYPE NAME | TYPE/NAME KEY=VAL ... KEY-`)
      .option('--overwrite', `allow changing existing ${kind}s`)
      .option('-l, --selector <selector>', 'label selector')
      .option('--all', 'every resource of the type in the namespace')
      .option('-A, --all-namespaces', 'across all namespaces')
      .option('--resource-version <rv>', 'only update if the resource version matches')
      .option('-o, --output <format>', 'json|yaml|name')
      .action((args: string[], opts: LabelOptions, cmd: Command) => run(cmd, (ctx) => runLabel(ctx, kind, args, opts)));
  }

  program
    .command('scale')
    .description('Set a new size for a deployment, replica set or replication controller')
    .argument('<args...>', 'TYPE/NAME | TYPE NAME')
    .option('--replicas <n>', 'the new desired number of replicas')
    .option('--current-replicas <n>', 'precondition for the current size')
    .action((args: string[], opts: ScaleOptions, cmd: Command) => run(cmd, (ctx) => runScale(ctx, args, opts)));

  registerMoreCommands(program, run, runLocal);
  registerExtraCommands(program, run);
}
