/** Registration of the workload helpers: run, set image, wait, cordon, uncordon, drain. */
import type { Command } from 'commander';
import type { Run } from './index.js';
import { runRun, type RunOptions } from './run.js';
import { runSetImage } from './set-image.js';
import { runWait, type WaitOptions } from './wait.js';
import { runCordon, runDrain, type DrainOptions } from './node.js';
import { registerWriteCommands } from './index-config.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerExtraCommands(program: Command, run: Run): void {
  registerWriteCommands(program, run);
  program
    .command('run')
    .description('Create and run a particular image in a pod')
    .argument('<name>')
    .argument('[args...]', 'arguments (or the command, with --command) after --')
    .option('--image <image>', 'the container image')
    .option('--restart <policy>', 'Always|OnFailure|Never', 'Always')
    .option('-l, --labels <k=v,...>', 'labels for the pod (default run=NAME)')
    .option('--env <K=V>', 'environment variable (repeatable)', collect)
    .option('--port <port>', 'container port to expose')
    .option('--command', 'treat the arguments as the command')
    .option('--image-pull-policy <policy>', 'Always|IfNotPresent|Never')
    .option('--dry-run <mode>', 'none|server|client')
    .option('-o, --output <format>', 'json|yaml|name')
    .action((name: string, args: string[], opts: RunOptions, cmd: Command) => run(cmd, (ctx) => runRun(ctx, name, args, opts)));

  const set = program.command('set').description('Set specific features on objects');
  set
    .command('image')
    .description('Update the image of a pod template: TYPE/NAME CONTAINER=IMAGE ...')
    .argument('<args...>')
    .action((args: string[], _opts: unknown, cmd: Command) => run(cmd, (ctx) => runSetImage(ctx, args)));

  program
    .command('wait')
    .description('Wait for a condition on one or many resources')
    .argument('<args...>', 'TYPE/NAME ... | TYPE NAME ...')
    .option('--for <condition>', 'delete | create | condition=Ready[=true] | jsonpath={.path}=value')
    .option('--timeout <duration>', 'how long to wait', '30s')
    .option('-l, --selector <selector>', 'label selector')
    .option('--all', 'every resource of the type')
    .action((args: string[], opts: WaitOptions, cmd: Command) => run(cmd, (ctx) => runWait(ctx, args, opts)));

  for (const [name, cordon] of [
    ['cordon', true],
    ['uncordon', false],
  ] as const) {
    program
      .command(name)
      .description(`Mark nodes as ${cordon ? 'unschedulable' : 'schedulable'}`)
      .argument('<nodes...>')
      .action((nodes: string[], _opts: unknown, cmd: Command) => run(cmd, (ctx) => runCordon(ctx, nodes, cordon)));
  }

  program
    .command('drain')
    .description('Cordon a node and evict its pods')
    .argument('<node>')
    .option('--force', 'also evict pods without a controller')
    .option('--grace-period <seconds>', 'grace period for each pod')
    .option('--delete-emptydir-data', 'also evict pods using emptyDir volumes')
    .option('--ignore-daemonsets', 'accepted for compatibility (mk8s has no DaemonSets)')
    .action((node: string, opts: DrainOptions, cmd: Command) => run(cmd, (ctx) => runDrain(ctx, node, opts)));
}
