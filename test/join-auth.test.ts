import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@stagecraft/protocol';
import { SignJWT } from 'jose';
import { RawSceneClient } from './support/raw-client.js';
import { startTestServer, type TestServer } from './support/server.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
let server: TestServer;

const token = (claims: Record<string, unknown>, expires = '5m') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(expires)
    .sign(new TextEncoder().encode(SECRET));

beforeAll(async () => {
  server = await startTestServer({ env: { STAGECRAFT_JWT_SECRET: SECRET } });
});

afterAll(async () => {
  await server?.close();
});

describe('join tokens', () => {
  it('refuses a join without a token, with a bad one, or for a scene the token does not allow', async () => {
    await expect(RawSceneClient.join(server.url, { sceneId: 'tavern' })).rejects.toThrow(/requires a join token/);
    await expect(RawSceneClient.join(server.url, { sceneId: 'tavern', token: 'not.a.jwt' })).rejects.toThrow(
      /join token rejected/,
    );
    const wrongKey = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('x'.repeat(40)));
    await expect(RawSceneClient.join(server.url, { sceneId: 'tavern', token: wrongKey })).rejects.toThrow(/rejected/);
    const elsewhere = await token({ scenes: ['bridge-ambush'] });
    await expect(RawSceneClient.join(server.url, { sceneId: 'tavern', token: elsewhere })).rejects.toThrow(
      /does not allow scene "tavern"/,
    );
  });

  it('takes name and role from the token, whatever the join options say', async () => {
    const observer = await token({ name: 'Watcher', role: 'observer', scenes: ['tavern'] });
    const c = await RawSceneClient.join(server.url, { sceneId: 'tavern', role: 'game', token: observer });
    await c.next('snapshot');
    c.send({ requestId: 'speak', body: { case: 'playerLine', value: { npcId: 'bard', text: 'Hello' } } });
    expect((await c.next('error', (e) => e.requestId === 'speak')).code).toBe(ErrorCode.FORBIDDEN);
    await c.leave();
    const player = await RawSceneClient.join(server.url, { sceneId: 'tavern', token: await token({ name: 'Ada' }) });
    player.send({ body: { case: 'playerLine', value: { npcId: 'bard', text: 'A song!' } } });
    expect((await player.next('playerLine')).playerId).toBe('Ada');
    await player.leave();
  });
});
