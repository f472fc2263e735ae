import { z } from 'zod';
import { segments } from '../../../shared/track/stages.js';
import { idPartPattern } from '../../../shared/track/workflow-id.js';
import { multiLineNote } from '../../../shared/validation/text.js';
import { integerQuery } from '../../http/query-params.js';
import { formatHoldQuery } from './query-language/formatter.js';
import { maxQueryLength, parseHoldQuery } from './query-language/parser.js';
import { HoldQueryError } from './query-language/query-error.js';

/**
 * A hold's free query, parsed and rebuilt; a zod issue (so a 400 with details) when refused. Line
 * breaks and tabs separate tokens like spaces (a query pasted over several lines); other control
 * characters and lone surrogates are refused before the parser sees them.
 */
export const holdQuerySchema = multiLineNote(maxQueryLength)
  .min(1)
  .transform((text, ctx) => {
    try {
      return formatHoldQuery(parseHoldQuery(text));
    } catch (error) {
      if (!(error instanceof HoldQueryError)) throw error;
      ctx.addIssue({ code: 'custom', message: `not a query a hold accepts: ${error.message}` });
      return z.NEVER;
    }
  });

/** POST /v1/holds */
export const createHoldRequestSchema = z
  .object({
    /** Optional natural key: repeating a call with the same holdId answers as the first did. */
    holdId: z.string().regex(idPartPattern, 'letters, digits, . _ - (at most 80)').optional(),
    corporationId: z.string().regex(idPartPattern, 'a corporation id'),
    segment: z.enum(segments).optional(),
    query: holdQuerySchema.optional(),
    /** Why: stays in the database, never goes to Temporal. */
    reason: multiLineNote(2000).min(1).optional(),
  })
  // A misspelt `segment` must not widen the hold to the whole corporation.
  .strict();
export type CreateHoldRequest = z.infer<typeof createHoldRequestSchema>;

/** GET and DELETE /v1/holds/:holdId */
export const holdIdParamsSchema = z.object({ holdId: z.string().regex(idPartPattern, 'a hold id') });

/** GET /v1/holds */
export const holdListQuerySchema = z.object({
  corporationId: z.string().regex(idPartPattern, 'a corporation id').optional(),
  status: z.enum(['active', 'released']).optional(),
  limit: integerQuery(1, 500).default(100),
});
export type HoldListQuery = z.infer<typeof holdListQuerySchema>;
