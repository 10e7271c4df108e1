import { ErrorCode, ServerError } from '@colyseus/core';
import { AUDIO_FORMATS, CLIENT_ROLES, LIMITS } from '@stagecraft/protocol';
import { z } from 'zod';

const joinOptionsSchema = z.object({
  sceneId: z
    .string({ error: 'is required (the id of a scene file, or of the inline scene)' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be 1-64 letters, digits, '-' or '_'"),
  scene: z.unknown().optional(),
  name: z.string().max(LIMITS.nameChars).optional(),
  role: z.enum(CLIENT_ROLES).default('player'),
  token: z.string().max(LIMITS.tokenChars).optional(),
  audio: z.enum(AUDIO_FORMATS).default('pcm16'),
  media: z
    .union([z.literal('all'), z.literal('none'), z.array(z.string().max(64)).max(LIMITS.mediaNpcIds)], {
      error: `must be "all", "none" or a list of at most ${LIMITS.mediaNpcIds} NPC ids`,
    })
    .default('all'),
});

export type JoinOptions = z.infer<typeof joinOptionsSchema>;

/** Validates a client's join options; a bad field fails the join with a message naming it. */
export function parseJoinOptions(options: unknown): JoinOptions {
  const parsed = joinOptionsSchema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
  throw new ServerError(ErrorCode.MATCHMAKE_INVALID_CRITERIA, `invalid join options: ${detail}`);
}
