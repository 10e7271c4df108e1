#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { constraintsCommand } from './cli/constraints-command.js';
import { modelsCommand } from './cli/models-command.js';
import { serveCommand } from './cli/serve-command.js';
import { PACKAGE_VERSION } from './version.js';

const program = new Command('stagecraft')
  .description('Stagecraft: voices, faces and direction for game NPCs')
  .version(PACKAGE_VERSION)
  .addCommand(serveCommand())
  .addCommand(constraintsCommand())
  .addCommand(modelsCommand());

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
