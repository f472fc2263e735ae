/**
 * The Dutch structured payment reference (betalingskenmerk), 16 digits: a check digit followed
 * by 15 digits. Check digit: weighted modulus 11 with weights 2,4,8,5,10,9,7,3,6,1 from the right,
 * C = 11 − (sum mod 11), where 10 becomes 1 and 11 becomes 0 (Betaalvereniging specification).
 * Tenants' banks validate it, and the bank statement carries it back for matching.
 */
const weights = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1] as const;

export function betalingskenmerkCheckDigit(body15: string): number {
  if (!/^\d{15}$/.test(body15)) throw new Error('a betalingskenmerk body is exactly 15 digits');
  const digits = [...body15].reverse();
  const sum = digits.reduce((total, digit, i) => total + Number(digit) * weights[i % weights.length]!, 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 1 : check === 11 ? 0 : check;
}

export function makeBetalingskenmerk(body15: string): string {
  return `${betalingskenmerkCheckDigit(body15)}${body15}`;
}

export function isValidBetalingskenmerk(reference: string): boolean {
  return /^\d{16}$/.test(reference) && betalingskenmerkCheckDigit(reference.slice(1)) === Number(reference[0]);
}
