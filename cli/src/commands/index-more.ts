/** Registration of the remaining subcommands (kept apart so each registry file stays small). */
import type { Command } from 'commander';
import type { Run } from './index.js';

export function registerMoreCommands(_program: Command, _run: Run): void {}
