#!/usr/bin/env node
// faultline: the command line. Every command keeps one exit-code contract (errors.ts): bad input is
// one line and exit 2, faultline's own failure one line (the stack with --debug) and exit 3.
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config.js';
import { describeError, EXIT_BAD_INPUT, EXIT_CODES_HELP, EXIT_INTERNAL, REPORT_HINT, setDebug, UsageError } from './errors.js';
import { configErrorAsUsage } from './options.js';
import { installSignalHandlers } from './interrupt.js';
import { STDOUT } from './outputs.js';
import { stressCommand } from './stress.js';
import { exploreCommand } from './explore.js';
import { replayCommand } from './replay.js';
import { shrinkCommand } from './shrink.js';
import { bisectCommand } from './bisect.js';
import { bugsCommand } from './bugs.js';
import { matrixCommand } from './matrix.js';
import { lockstatCommand } from './lockstat.js';
import { studyCommand } from './study.js';
import { mergeCommand } from './merge.js';
import { workerCommand } from './worker.js';
import { toolStamp } from '../version.js';

const stamp = toolStamp();
const program = new Command('faultline')
  .description('the Linux page-fault path for driver-managed, migrating memory, as real races on worker threads')
  .version(`faultline ${stamp.version} (commit ${stamp.commit})`, '-V, --version')
  .addOption(new Option('--debug', 'print the stack of internal errors and crashed workers'))
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText('after', `\n${EXIT_CODES_HELP}`)
  .addCommand(stressCommand())
  .addCommand(exploreCommand())
  .addCommand(replayCommand())
  .addCommand(shrinkCommand())
  .addCommand(bisectCommand())
  .addCommand(bugsCommand())
  .addCommand(matrixCommand())
  .addCommand(lockstatCommand())
  .addCommand(studyCommand())
  .addCommand(mergeCommand())
  .addCommand(workerCommand());

for (const cmd of program.commands) {
  cmd.exitOverride().showHelpAfterError('(run with --help for usage)').addHelpText('after', `\n${EXIT_CODES_HELP}`);
}

program.hook('preAction', (_root, action) => {
  setDebug(program.opts<{ debug?: boolean }>().debug === true);
  // `--json -`: the JSON owns standard output, everything said for people goes to stderr
  if (action.opts<{ json?: unknown }>().json === STDOUT) console.log = console.error.bind(console);
});

// a closed pipe (`| head`) ends the output, not the process with a stack trace
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  internalError(e);
});

function internalError(e: unknown): never {
  console.error(`faultline: internal error: ${describeError(e)}`);
  console.error(`faultline: ${REPORT_HINT}`);
  process.exit(EXIT_INTERNAL);
}

process.on('uncaughtException', internalError);
process.on('unhandledRejection', internalError);
installSignalHandlers();

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
  } else if (e instanceof UsageError || e instanceof ConfigError) {
    console.error(`faultline: ${(e instanceof ConfigError ? configErrorAsUsage(e) : e).message}`);
    process.exitCode = EXIT_BAD_INPUT;
  } else {
    internalError(e);
  }
}
