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
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        server = await startServer(config);
      } catch (e) {
        process.stderr.write(`Stagecraft could not start: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      }
      stop = (signal: string) => {
        server.logger.info({ signal }, 'shutting down');
        // Rooms get the shutdown timeout to drain, then the event log as long again to be written;
        // past both (and a little more) the process exits whatever is still waiting.
        setTimeout(
          () => {
            server.logger.fatal({ event: 'shutdown.stuck' }, 'shutdown did not finish in time; exiting');
            process.exit(1);
          },
          2 * config.shutdownTimeoutMs + 5000,
        ).unref();
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
