import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { z } from 'zod';

/** Spaces allowed as people write it; stored in electronic format after the mod-97 check (ibantools). */
export const ibanField = z
  .string()
  .max(42)
  .transform((value) => electronicFormatIBAN(value) ?? '')
  .refine((iban) => isValidIBAN(iban), 'not a valid IBAN (country, length or mod-97 check digits)');

export const bicField = z
  .string()
  .max(20)
  .transform((value) => value.replace(/\s+/g, '').toUpperCase())
  .refine((bic) => isValidBIC(bic), 'not a valid BIC (8 or 11 characters)');
