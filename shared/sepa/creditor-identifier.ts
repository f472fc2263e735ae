/**
 * The SEPA creditor identifier (incassant-ID), e.g. NL69ZZZ123456780000: country code, two check
 * digits, a three-character business code that the check ignores, and the national id (for NL the
 * 8-digit KvK number and a 4-digit suffix). The check digits are ISO 7064 mod 97-10 as in an IBAN,
 * over the national id followed by the country code and "00" (EPC262-08; interfaces.md §1.4).
 */
const shape = /^([A-Z]{2})(\d{2})[A-Z0-9]{3}([A-Z0-9]{1,28})$/;
const dutchShape = /^NL\d{2}ZZZ\d{12}$/;

export function creditorIdentifierCheckDigits(countryCode: string, nationalId: string): string {
  const remainder = mod97(digitsOf(`${nationalId}${countryCode}00`));
  return String(98 - remainder).padStart(2, '0');
}

export function isValidCreditorIdentifier(value: string): boolean {
  const match = shape.exec(value);
  if (!match) return false;
  if (value.startsWith('NL') && !dutchShape.test(value)) return false;
  const [, country, check, nationalId] = match;
  return creditorIdentifierCheckDigits(country!, nationalId!) === check;
}

function digitsOf(text: string): string {
  return [...text].map((c) => (/[0-9]/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
}

function mod97(digits: string): number {
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder;
}
