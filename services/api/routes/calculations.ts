import { Router } from 'express';
import { CalendarNotCoveredError } from '../../../shared/calendar/dutch-holidays.js';
import { collectionCosts } from '../../../shared/legal/collection-costs.js';
import { RateTableNotCoveredError, statutoryInterest } from '../../../shared/legal/statutory-interest.js';
import { wikLetterTerm } from '../../../shared/legal/wik-letter-term.js';
import { unprocessable } from '../../http/errors.js';
import { calculationContracts as contracts } from '../requests/calculations.js';
import { mountRoute } from './mount-route.js';

/** A date the legal data does not cover is a refusal (422) that names the data to extend. */
function outsideLegalData(error: unknown): never {
  if (error instanceof CalendarNotCoveredError) throw unprocessable('calendar_not_covered', error.message);
  if (error instanceof RateTableNotCoveredError) throw unprocessable('interest_rates_not_covered', error.message);
  throw error;
}

/** The legal figures behind every letter, so a case handler can check one (api.md, Calculations). */
export function calculationRoutes(): Router {
  const router = Router();
  mountRoute(router, contracts.collectionCosts, ({ query: { principal, vatSurcharge } }, res) => {
    res.json(collectionCosts({ principal, vatSurcharge }));
  });
  mountRoute(router, contracts.deadline, ({ query: { posted, days, deliveryDays } }, res) => {
    try {
      res.json(wikLetterTerm({ posted, days, deliveryDays }));
    } catch (error) {
      outsideLegalData(error);
    }
  });
  mountRoute(router, contracts.statutoryInterest, ({ query: { principal, from, to } }, res) => {
    try {
      const result = statutoryInterest({ principal, from, to });
      res.json({ principal, from, to, interest: result.interest, capitalized: result.capitalized, segments: result.segments });
    } catch (error) {
      outsideLegalData(error);
    }
  });
  return router;
}

