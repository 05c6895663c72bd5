#!/usr/bin/env node
// faultline: the command line. Bad input is one line on stderr and exit 2, never a stack trace.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { EXIT_BAD_INPUT, UsageError } from './errors.js';
import { stressCommand } from './stress.js';
import { exploreCommand } from './explore.js';
import { replayCommand } from './replay.js';
import { bugsCommand } from './bugs.js';
import { matrixCommand } from './matrix.js';
import { lockstatCommand } from './lockstat.js';

const program = new Command('faultline')
  .description('the Linux page-fault path for driver-managed, migrating memory, as real races on worker threads')
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)')
  .addCommand(stressCommand())
  .addCommand(exploreCommand())
  .addCommand(replayCommand())
  .addCommand(bugsCommand())
  .addCommand(matrixCommand())
  .addCommand(lockstatCommand());

for (const cmd of program.commands) cmd.exitOverride();

// a closed pipe (`| head`) ends the output, not the process with a stack trace
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
  } else if (e instanceof ConfigError || e instanceof UsageError) {
    console.error(`faultline: ${e.message}`);
    process.exitCode = EXIT_BAD_INPUT;
  } else {
    throw e;
  }
}
