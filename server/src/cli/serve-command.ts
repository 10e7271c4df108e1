import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/config.js';
import { startServer } from '../main.js';

/** `stagecraft serve`: the scene server with the stage inspector, on embedded defaults unless configured. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('start the scene server and the stage inspector (configuration: docs/configuration.md)')
    .option('-p, --port <port>', 'HTTP and WebSocket port (PORT, default 2567)')
    .option('-H, --host <host>', 'address to listen on (HOST, default 0.0.0.0)')
    .action(async (opts: { port?: string; host?: string }) => {
      const env = {
        ...process.env,
        ...(opts.port ? { PORT: opts.port } : {}),
        ...(opts.host ? { HOST: opts.host } : {}),
      };
      let config: ReturnType<typeof loadConfig>;
      try {
        config = loadConfig(env);
      } catch (e) {
        if (e instanceof ConfigError) {
          process.stderr.write(`${e.message}\n`);
          process.exit(2);
        }
        throw e;
      }
      const server = await startServer(config);
      process.stderr.write(`\nStagecraft is running. Stage inspector: ${server.url}/\n\n`);
      const stop = (signal: string) => {
        server.logger.info({ signal }, 'shutting down');
        server.close().then(
          () => process.exit(0),
          (e: unknown) => {
            server.logger.error({ err: e }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
