#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { autoscaleCommand } from './cli/autoscale-command.js';
import { constraintsCommand } from './cli/constraints-command.js';
import { infraCommand } from './cli/infra-command.js';
import { modelsCommand } from './cli/models-command.js';
import { scenesCommand } from './cli/scenes-command.js';
import { serveCommand } from './cli/serve-command.js';
import { tokenCommand } from './cli/token-command.js';
import { UsageError } from './cli/user-files.js';
import { PACKAGE_VERSION } from './version.js';

const program = new Command('stagecraft')
  .description('Stagecraft: voices, faces and direction for game NPCs')
  .version(PACKAGE_VERSION)
  .addCommand(serveCommand())
  .addCommand(constraintsCommand())
  .addCommand(modelsCommand())
  .addCommand(scenesCommand())
  .addCommand(infraCommand())
  .addCommand(autoscaleCommand())
  .addCommand(tokenCommand());

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(`stagecraft: ${e.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
