import { z } from 'zod';

/**
 * Building blocks of the response schemas. They describe what the API sends, for the OpenAPI
 * document; answers are not parsed with them.
 */
export const moneyField = z.string().regex(/^-?\d+\.\d{2}$/).meta({ description: 'a decimal string with two decimals, such as "812.50"' });
export const dateField = z.iso.date();
export const instantField = z.iso.datetime();
