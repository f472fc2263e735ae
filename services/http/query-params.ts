import { z } from 'zod';

/** A whole number in a query string: digits only (no "1e3", no " 5", no empty string as 0). */
export const integerQuery = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'a whole number').transform(Number).pipe(z.number().int().min(min).max(max));
