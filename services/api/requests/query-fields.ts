import { integerQuery } from '../../http/query-params.js';

// zod's input side of a whole number in a query string or path shows only the digits pattern:
// these tell the document the range, and the value taken when the field is absent.

export const wholeNumber = (min: number, max: number) => integerQuery(min, max).meta({ description: `a whole number from ${min} to ${max}` });

export const wholeNumberOr = (min: number, max: number, whenAbsent: number) =>
  integerQuery(min, max)
    .meta({ description: `a whole number from ${min} to ${max}; ${whenAbsent} when absent` })
    .default(whenAbsent);
