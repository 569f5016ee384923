/**
 * Registration of the remaining subcommands: describe, logs, exec, rollout, expose, top,
 * api-resources, version, cluster-info and config view.
 */
import { Option, type Command } from 'commander';
import type { Run, RunLocal } from './index.js';
import { runDescribe, type DescribeOptions } from './describe.js';
import { runLogs, type LogsOptions } from './logs.js';
import { runExec, type ExecOptions } from './exec.js';
import { runRollout, type RolloutOptions } from './rollout.js';
import { runExpose, type ExposeOptions } from './expose.js';
import { runTop, type TopOptions } from './top.js';
import { runApiResources, runClusterInfo, runVersion, type ApiResourcesOptions } from './info.js';
import { createContext } from '../context.js';
import { registerConfigCommands } from './index-config.js';

const boolish = (v: string | undefined): boolean => v === undefined || !['false', '0', 'no'].includes(v.toLowerCase());

export function registerMoreCommands(program: Command, run: Run, runLocal: RunLocal): void {
  program
    .command('describe')
    .description('Show details of a specific resource or group of resources')
    .argument('<args...>', 'TYPE [NAME...] | TYPE/NAME')
    .option('-l, --selector <selector>', 'label selector')
    .option('-A, --all-namespaces', 'across all namespaces')
    .addOption(new Option('--show-events [bool]', 'show events').default(true).argParser(boolish))
    .action((args: string[], opts: DescribeOptions, cmd: Command) => run(cmd, (ctx) => runDescribe(ctx, args, opts)));

  program
    .command('logs')
    .description('Print the logs for a container in a pod')
    .argument('<pod>', 'POD | pod/NAME')
    .option('-c, --container <name>', 'container name')
    .option('-f, --follow', 'stream the logs')
    .option('--tail <n>', 'lines of recent log to show')
    .option('--timestamps', 'include timestamps')
    .option('-p, --previous', 'logs of the previous instance of the container')
    .option('--since <duration>', 'only logs newer than this (5s, 2m, 3h)')
    .action((pod: string, opts: LogsOptions, cmd: Command) => run(cmd, (ctx) => runLogs(ctx, pod, opts)));

  program
    .command('exec')
    .description('Execute a command in a container')
    .argument('<pod>', 'POD | pod/NAME')
    .argument('[command...]', 'command and arguments after --')
    .option('-c, --container <name>', 'container name')
    .option('-i, --stdin', 'pass stdin to the container')
    .option('-t, --tty', 'stdin is a TTY')
    .action((pod: string, command: string[], opts: ExecOptions, cmd: Command) => run(cmd, (ctx) => runExec(ctx, pod, command, opts)));

  program
    .command('rollout')
    .description('Manage the rollout of a deployment: status, history, undo, restart, pause, resume')
    .argument('<action>', 'status|history|undo|restart|pause|resume')
    .argument('<args...>', 'deployment/NAME | deployment NAME')
    .option('--timeout <duration>', 'how long status waits (0 = forever)')
    .addOption(new Option('-w, --watch [bool]', 'keep watching until done').default(true).argParser(boolish))
    .option('--revision <n>', 'history: show the template of this revision')
    .option('--to-revision <n>', 'undo: the revision to roll back to (default: previous)')
    .action((action: string, args: string[], opts: RolloutOptions, cmd: Command) => run(cmd, (ctx) => runRollout(ctx, action, args, opts)));

  program
    .command('expose')
    .description('Expose a deployment, replica set, replication controller, pod or service as a new Service')
    .argument('<args...>', 'TYPE NAME | TYPE/NAME')
    .option('--port <port>', 'the port the service serves on')
    .option('--target-port <port>', 'the container port (name or number)')
    .option('--type <type>', 'ClusterIP|NodePort|LoadBalancer')
    .option('--name <name>', 'the service name')
    .option('--protocol <proto>', 'TCP|UDP|SCTP')
    .option('-l, --selector <k=v,...>', 'selector for the service')
    .option('--dry-run <mode>', 'none|server|client')
    .option('-o, --output <format>', 'json|yaml|name')
    .action((args: string[], opts: ExposeOptions, cmd: Command) => run(cmd, (ctx) => runExpose(ctx, args, opts)));

  program
    .command('top')
    .description('Display resource (CPU/memory) usage of pods or nodes')
    .argument('<type>', 'pods|nodes')
    .argument('[name]')
    .option('-l, --selector <selector>', 'label selector')
    .option('-A, --all-namespaces', 'across all namespaces')
    .option('--containers', 'per container (pods)')
    .option('--no-headers', 'do not print headers')
    .action((type: string, name: string | undefined, opts: TopOptions & { headers?: boolean }, cmd: Command) =>
      run(cmd, (ctx) => runTop(ctx, type, name, { ...opts, noHeaders: opts.headers === false })),
    );

  program
    .command('api-resources')
    .description('Print the supported API resources on the server')
    .option('--namespaced <bool>', 'only namespaced (true) or cluster-scoped (false) resources')
    .option('--api-group <group>', 'only this API group ("" for core)')
    .option('-o, --output <format>', 'name')
    .option('--no-headers', 'do not print headers')
    .action((opts: ApiResourcesOptions & { headers?: boolean }, cmd: Command) => run(cmd, (ctx) => runApiResources(ctx, { ...opts, noHeaders: opts.headers === false })));

  program
    .command('version')
    .description('Print the client and server version information')
    .option('--client', 'client version only')
    .option('-o, --output <format>', 'json|yaml')
    .action((opts: { client?: boolean; output?: string }, cmd: Command) =>
      runLocal(cmd, (g, write) => runVersion(() => createContext(g), opts, write)),
    );

  program
    .command('cluster-info')
    .description('Display addresses of the control plane and cluster services')
    .action((_opts: unknown, cmd: Command) => run(cmd, (ctx) => runClusterInfo(ctx)));

  registerConfigCommands(program, runLocal);
}
