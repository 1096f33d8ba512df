// Every API method's parameters, fuzzed through the dispatcher against a real library: a call either
// answers or is refused with a code and a sentence (never an internal error), and a refused call leaves
// the library exactly as it was.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiRequests, type ApiMethod } from '../../contracts/api';
import { createApiDispatcher, toApiError, type ApiDispatcher } from '../../core/api-handler';
import type { VerbatimCore } from '../../core/verbatim-core';
import { openCore } from '../helpers/core';
import { scratchDir } from '../helpers/media';
import { buildLibrary } from '../helpers/synthetic-library';

/** Methods whose valid calls reach outside this test's library, each covered by tests of its own. */
const NOT_FUZZED: Partial<Record<ApiMethod, string>> = {
  'media.add': 'reads the named files and folders, any on this machine (bad-input and api tests)',
  'live.start': 'opens a capture session and its engine process (live-recording tests)',
  'offload.test': 'dials the address it is given (offload tests)',
  'models.download': 'downloads (model-manager tests)',
};

const TABLES = ['media', 'jobs', 'transcripts', 'transcript_edits', 'settings', 'live_sessions'];

/** Values a handler might trip on: ids near the real ones, odd numbers, odd strings, wrong types. */
const awkward = fc.oneof(
  fc.integer({ min: -2, max: 4 }),
  fc.constantFrom(0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER, 1e308, Number.NaN, Number.POSITIVE_INFINITY, 0.5),
  fc.constantFrom('', ' ', '../../etc/passwd', 'Speaker 1', 'é'.repeat(300), '\u0000', 'txt', 'srt', 'zip', 'date'),
  fc.string({ maxLength: 40 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 4 }),
  fc.anything({ maxDepth: 2 }),
);

/** Parameters shaped like the method's own: its keys (some dropped, one maybe added) with awkward values. */
function paramsFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, unknown>) : null;
  if (!shape) return fc.oneof(awkward, fc.anything());
  const keys = Object.keys(shape);
  const shaped = fc.record(Object.fromEntries(keys.map((key) => [key, awkward])), { requiredKeys: [] });
  const extra = fc.tuple(shaped, fc.string({ minLength: 1, maxLength: 8 }), awkward).map(([params, key, value]) => ({ ...params, [key]: value }));
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: extra }, { weight: 1, arbitrary: fc.anything() });
}

describe('the API under fuzzed parameters', () => {
  let core: VerbatimCore;
  let dispatch: ApiDispatcher;
  const snapshot = (): string => JSON.stringify(TABLES.map((table) => core.db.all(`SELECT * FROM ${table} ORDER BY rowid`)));

  beforeAll(() => {
    const dataDir = scratchDir('fuzz');
    // Three real transcripts with words, so ids 1–3 and small segment and word numbers hit something.
    buildLibrary(dataDir, 3, 4, (recording, segment) => `recording ${recording} says sentence ${segment} here`, { words: true }).close();
    core = openCore(dataDir);
    dispatch = createApiDispatcher(core);
  });
  afterAll(async () => {
    await core.close();
  });

  const methods = (Object.keys(apiRequests) as ApiMethod[]).filter((method) => !(method in NOT_FUZZED));

  it.each(methods)('%s: answers, or refuses with a code and a sentence and changes nothing', async (method) => {
    await fc.assert(
      fc.asyncProperty(paramsFor(apiRequests[method].params as z.ZodType), async (params) => {
        const before = snapshot();
        let refused: unknown = undefined;
        try {
          await dispatch(method, params);
        } catch (error) {
          refused = error ?? 'undefined';
        }
        if (refused === undefined) return;
        const answer = toApiError(refused);
        expect(answer.code, `${method} ${JSON.stringify(params)}: ${answer.message}`).not.toBe('internal');
        expect(answer.message.length).toBeGreaterThan(0);
        expect(snapshot(), `${method} ${JSON.stringify(params)} was refused but changed the library`).toBe(before);
      }),
      { numRuns: 150, seed: 20261202 },
    );
  });
});
