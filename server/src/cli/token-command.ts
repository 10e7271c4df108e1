import { CLIENT_ROLES, type ClientRole } from '@stagecraft/protocol';
import { Command, InvalidArgumentError, Option } from 'commander';
import { issueJoinToken } from '../rooms/join-token-issue.js';

const DURATION = /^(\d+)(s|m|h|d)?$/;
const SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** `15m`, `2h`, `1d` or a number of seconds, as seconds. */
export function parseTtl(value: string): number {
  const m = DURATION.exec(value.trim());
  if (!m) throw new InvalidArgumentError('a duration such as 90s, 15m, 2h or 1d');
  return Number(m[1]) * SECONDS[(m[2] ?? 's') as keyof typeof SECONDS];
}

/** `stagecraft token issue`: signs a join token with STAGECRAFT_JWT_SECRET, for development and tests. */
export function tokenCommand(): Command {
  const token = new Command('token').description('join tokens (docs/security.md)');
  token
    .command('issue')
    .description('print a join token signed with STAGECRAFT_JWT_SECRET; its id (jti) and expiry go to stderr')
    .addOption(new Option('--role <role>', 'role the token grants').choices(CLIENT_ROLES).default('player'))
    .option('--scene <id...>', 'scene ids it may join (any when left out)')
    .option('--ttl <duration>', 'lifetime: 90s, 15m, 2h, 1d', parseTtl, 15 * 60)
    .option('--name <name>', 'display name')
    .option('--sub <subject>', 'who it is for (per-client limits count by it)')
    .action(async (opts: { role: ClientRole; scene?: string[]; ttl: number; name?: string; sub?: string }) => {
      const secret = process.env.STAGECRAFT_JWT_SECRET ?? '';
      if (secret.length < 32) {
        process.stderr.write("STAGECRAFT_JWT_SECRET must be set to the server's secret (at least 32 characters)\n");
        process.exit(2);
      }
      const issued = await issueJoinToken(secret, {
        role: opts.role,
        ttlSeconds: opts.ttl,
        ...(opts.scene ? { scenes: opts.scene } : {}),
        ...(opts.name ? { name: opts.name } : {}),
        ...(opts.sub ? { subject: opts.sub } : {}),
      });
      process.stdout.write(`${issued.token}\n`);
      process.stderr.write(`jti ${issued.jti}, expires ${issued.expiresAt.toISOString()}\n`);
    });
  return token;
}
