import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a database server that a test can freeze (bytes stop flowing both
 * ways, as when the server is stopped with SIGSTOP) or make refuse connections (as when it is
 * down), then let go again.
 */
export class TcpProxy {
  private state: 'open' | 'frozen' | 'refusing' = 'open';
  private readonly pairs = new Set<[Socket, Socket]>();
  /** Writes held back while frozen, in order. */
  private readonly held: (() => void)[] = [];
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy?.accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    return proxy;
  }

  /** Stops every byte, on open connections and new ones, until `open()`. */
  freeze(): void {
    this.state = 'frozen';
  }

  /** Drops every connection and refuses new ones until `open()`. */
  refuse(): void {
    this.state = 'refusing';
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
  }

  open(): void {
    this.state = 'open';
    for (const flush of this.held.splice(0)) flush();
  }

  async close(): Promise<void> {
    this.refuse();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    if (this.state === 'refusing') {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (this.state === 'frozen') this.held.push(() => to.write(chunk));
        else to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
  }
}
