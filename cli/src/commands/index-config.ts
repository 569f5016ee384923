/** Registration of `config` (kubeconfig) subcommands and of patch/replace. */
import type { Command } from 'commander';
import type { GlobalOptions } from '../context.js';
import { kubeconfigPath } from '../context.js';
import type { Run, RunLocal } from './index.js';
import { runConfigView } from './info.js';
import { runCurrentContext, runGetContexts, runSetContext, runUseContext } from './config.js';
import { runPatch, runReplace, type PatchOptions } from './patch.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
const pathOf = (g: GlobalOptions): string | undefined => kubeconfigPath(g.kubeconfig, process.env, process.cwd());

export function registerConfigCommands(program: Command, runLocal: RunLocal): void {
  const config = program.command('config').description('View and edit the kubeconfig');
  config
    .command('view')
    .description('Display the kubeconfig (credentials redacted unless --raw)')
    .option('--raw', 'show credentials')
    .option('-o, --output <format>', 'yaml|json')
    .action((opts: { raw?: boolean; output?: string }, cmd: Command) => runLocal(cmd, async (g, write) => runConfigView(pathOf(g), opts, write)));
  config
    .command('current-context')
    .description('Display the current context')
    .action((_o: unknown, cmd: Command) => runLocal(cmd, async (g, write) => runCurrentContext(pathOf(g), write)));
  config
    .command('get-contexts')
    .description('List the contexts')
    .action((_o: unknown, cmd: Command) => runLocal(cmd, async (g, write) => runGetContexts(pathOf(g), write)));
  config
    .command('use-context')
    .description('Set the current context')
    .argument('<name>')
    .action((name: string, _o: unknown, cmd: Command) => runLocal(cmd, async (g, write) => runUseContext(pathOf(g), name, write)));
  config
    .command('set-context')
    .description('Change a context (for example its namespace: set-context --current --namespace=x)')
    .argument('[name]')
    .option('--current', 'modify the current context')
    .action((name: string | undefined, opts: { current?: boolean }, cmd: Command) =>
      runLocal(cmd, async (g, write) => runSetContext(pathOf(g), name, { ...opts, ...(g.namespace !== undefined ? { namespace: g.namespace } : {}) }, write)),
    );
}

export function registerWriteCommands(program: Command, run: Run): void {
  program
    .command('patch')
    .description('Update fields of a resource with a strategic merge, JSON merge or JSON patch')
    .argument('<args...>', 'TYPE NAME | TYPE/NAME')
    .option('-p, --patch <patch>', 'the patch (JSON or YAML)')
    .option('--type <type>', 'strategic|merge|json', 'strategic')
    .option('--subresource <name>', 'patch a subresource such as status or scale')
    .option('-o, --output <format>', 'json|yaml|name')
    .action((args: string[], opts: PatchOptions, cmd: Command) => run(cmd, (ctx) => runPatch(ctx, args, opts)));
  program
    .command('replace')
    .description('Replace a resource by file name or stdin')
    .requiredOption('-f, --filename <path>', 'file, folder or - (repeatable)', collect)
    .action((opts: { filename?: string[] }, cmd: Command) => run(cmd, (ctx) => runReplace(ctx, opts)));
}
