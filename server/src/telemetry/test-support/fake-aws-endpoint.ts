// A stand-in for an AWS service endpoint on loopback, for tests only: it decodes what the real
// AWS SDK sends with the JSON protocol (x-amz-json-1.0/1.1, gzip bodies) and answers as the
// test tells it. No AWS account is involved.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface AwsRequest {
  /** `x-amz-target`, e.g. `GraniteServiceVersion20100801.PutMetricData`. */
  target: string;
  contentType: string;
  /** Bytes on the wire, and after decompression. */
  wireBytes: number;
  bodyBytes: number;
  body: Record<string, unknown>;
  receivedAt: number;
}

export interface AwsAnswer {
  status?: number;
  body?: unknown;
  /** Wait this long before answering, ms. */
  delayMs?: number;
}

/** An AWS JSON-protocol error body, as services send it (`__type` names the error). */
export function awsError(code: string, message: string, status = 400): AwsAnswer {
  return { status, body: { __type: `com.amazonaws.service#${code}`, message } };
}

export class FakeAwsEndpoint {
  readonly requests: AwsRequest[] = [];
  private answer: (req: AwsRequest) => AwsAnswer | Promise<AwsAnswer> = () => ({ body: {} });
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const wire = Buffer.concat(chunks);
      const raw = req.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
      const request: AwsRequest = {
        target: String(req.headers['x-amz-target'] ?? ''),
        contentType: String(req.headers['content-type'] ?? ''),
        wireBytes: wire.length,
        bodyBytes: raw.length,
        body: raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {},
        receivedAt: Date.now(),
      };
      this.requests.push(request);
      const a = await this.answer(request);
      if (a.delayMs) await new Promise((r) => setTimeout(r, a.delayMs));
      if (res.destroyed) return;
      res.writeHead(a.status ?? 200, {
        'content-type': request.contentType,
        'x-amzn-requestid': `r${this.requests.length}`,
      });
      res.end(JSON.stringify(a.body ?? {}));
    });
  });

  /** Starts listening on 127.0.0.1 at a free port. */
  static async start(): Promise<FakeAwsEndpoint> {
    const e = new FakeAwsEndpoint();
    await new Promise<void>((resolve) => e.server.listen(0, '127.0.0.1', resolve));
    return e;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** How the endpoint answers from now on. */
  answerWith(answer: (req: AwsRequest) => AwsAnswer | Promise<AwsAnswer>): void {
    this.answer = answer;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Client settings that point an AWS SDK client at the stand-in, with dummy credentials. */
export function fakeClientConfig(endpoint: FakeAwsEndpoint) {
  return {
    region: 'us-east-1',
    endpoint: endpoint.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
}
