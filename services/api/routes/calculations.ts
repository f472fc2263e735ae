import { Router } from 'express';
import { z } from 'zod';
import { isoDateSchema } from '../../../shared/calendar/iso-date.js';
import { CalendarNotCoveredError } from '../../../shared/calendar/dutch-holidays.js';
import { collectionCosts } from '../../../shared/legal/collection-costs.js';
import { RateTableNotCoveredError, statutoryInterest } from '../../../shared/legal/statutory-interest.js';
import { wikLetterTerm } from '../../../shared/legal/wik-letter-term.js';
import { moneyString } from '../../../shared/money.js';
import { parseInput, unprocessable } from '../../http/errors.js';
import { integerQuery } from '../../http/query-params.js';

const booleanQuery = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const collectionCostsQuery = z.object({ principal: moneyString, vatSurcharge: booleanQuery.default(false) });
const deadlineQuery = z.object({ posted: isoDateSchema, days: integerQuery(1, 90).default(14), deliveryDays: integerQuery(0, 10).default(2) });
const interestQuery = z
  .object({ principal: moneyString, from: isoDateSchema, to: isoDateSchema })
  .refine((q) => q.from <= q.to, { message: '`to` may not be before `from`', path: ['to'] });

/** A date the legal data does not cover is a refusal (422) that names the data to extend. */
function outsideLegalData(error: unknown): never {
  if (error instanceof CalendarNotCoveredError) throw unprocessable('calendar_not_covered', error.message);
  if (error instanceof RateTableNotCoveredError) throw unprocessable('interest_rates_not_covered', error.message);
  throw error;
}

/** The legal figures behind every letter, so a case handler can check one (api.md, Calculations). */
export function calculationRoutes(): Router {
  const router = Router();
  router.get('/v1/calculations/collection-costs', (req, res) => {
    const { principal, vatSurcharge } = parseInput(collectionCostsQuery, req.query, 'query');
    res.json(collectionCosts({ principal, vatSurcharge }));
  });
  router.get('/v1/calculations/deadline', (req, res) => {
    const { posted, days, deliveryDays } = parseInput(deadlineQuery, req.query, 'query');
    try {
      res.json(wikLetterTerm({ posted, days, deliveryDays }));
    } catch (error) {
      outsideLegalData(error);
    }
  });
  router.get('/v1/calculations/statutory-interest', (req, res) => {
    const { principal, from, to } = parseInput(interestQuery, req.query, 'query');
    try {
      const result = statutoryInterest({ principal, from, to });
      res.json({ principal, from, to, interest: result.interest, capitalized: result.capitalized, segments: result.segments });
    } catch (error) {
      outsideLegalData(error);
    }
  });
  return router;
}

