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
      // Signals that arrive while starting are honoured once the server is up.
      let stopSignal: string | undefined;
      let stop = (signal: string) => {
        stopSignal = signal;
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      const server = await startServer(config);
      stop = (signal: string) => {
        server.logger.info({ signal }, 'shutting down');
        server.close().then(
          () => {
            server.logger.info('stopped');
            process.exit(0);
          },
          (e: unknown) => {
            server.logger.error({ err: e }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      if (stopSignal) stop(stopSignal);
      else process.stderr.write(`\nStagecraft is running. Stage inspector: ${server.url}/\n\n`);
    });
}
