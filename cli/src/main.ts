#!/usr/bin/env node
/**
 * mkctl: the mk8s command line, shaped like kubectl. This file only wires commander:
 * global flags build a Context, each subcommand calls one `run*` function from commands/,
 * and every failure ends as one line on stderr plus a non-zero exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { createContext, type Context, type GlobalOptions } from './context.js';
import { ExitError, formatError } from './errors.js';
import { registerCommands } from './commands/index.js';

export type Runner = (ctx: Context) => Promise<number>;

async function main(argv: string[]): Promise<number> {
  const program = new Command('mkctl')
    .description('mkctl controls the mk8s cluster manager')
    .option('--kubeconfig <path>', 'path to the kubeconfig file (env KUBECONFIG, else .mk8s/kubeconfig)')
    .option('-n, --namespace <ns>', 'namespace scope for this request')
    .option('--server <url>', 'the address and port of the API server')
    .option('--token <token>', 'bearer token for authentication to the API server')
    .option('--certificate-authority <path>', 'path to the CA certificate (PEM) of the API server')
    .addOption(new Option('--insecure-skip-tls-verify', 'do not verify the server certificate'))
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s.split('\n')[0]!.trim() + '\n') });

  let exitCode = 0;
  const run = (cmd: Command, fn: Runner): Promise<void> =>
    (async () => {
      const ctx = createContext(cmd.optsWithGlobals() as GlobalOptions);
      try {
        exitCode = await fn(ctx);
      } finally {
        ctx.client.close();
      }
    })();
  const runLocal = async (cmd: Command, fn: (g: GlobalOptions, write: (s: string) => void) => Promise<number>): Promise<void> => {
    exitCode = await fn(cmd.optsWithGlobals() as GlobalOptions, (s) => process.stdout.write(s));
  };
  registerCommands(program, run, runLocal);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : 1;
    if (err instanceof ExitError) return err.exitCode;
    process.stderr.write(formatError(err) + '\n');
    return 1;
  }
  return exitCode;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    // Watches and sockets may keep the loop alive after a command is done.
    setImmediate(() => process.exit(code));
  },
  (err: unknown) => {
    process.stderr.write(formatError(err) + '\n');
    process.exit(1);
  },
);
