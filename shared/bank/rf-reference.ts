/**
 * The ISO 11649 creditor reference: `RF`, two check digits, then 1 to 21 letters and digits. The
 * check is ISO 7064 mod 97-10 as for an IBAN: the body followed by `RF` and the check digits, with
 * letters as numbers (A = 10 … Z = 35), leaves 1 after division by 97. In a bank file it travels as
 * `Strd/CdtrRefInf` with `Cd` SCOR and `Issr` ISO (interfaces.md §1.9); printed, it is grouped in
 * fours (`RF18 5390 0754 7034`).
 *
 * Our own references stay 16-digit betalingskenmerken (shared/bank/betalingskenmerk.ts). A payer
 * whose bank only offers ISO 11649 may wrap one in RF (`RFxx` + the 16 digits, 20 characters):
 * the matcher reads that back as the kenmerk (services/bank/matching/match-line.ts).
 */
const rfShape = /^RF\d{2}[A-Z0-9]{1,21}$/;

/** Letters become their numbers (A = 10 … Z = 35), digits stay. */
const asDigits = (s: string) => s.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));

/** The remainder of a long digit string by 97, computed digit by digit (no big numbers). */
const mod97 = (digits: string) => [...digits].reduce((rest, digit) => (rest * 10 + Number(digit)) % 97, 0);

/** Spaces out and upper case: `rf18 5390 0754 7034` → `RF18539007547034`. */
export const normaliseRf = (reference: string) => reference.replace(/\s/g, '').toUpperCase();

/** The RF reference for a body of 1 to 21 letters and digits (its check digits computed). */
export function makeRfReference(body: string): string {
  const normalised = body.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z0-9]{1,21}$/.test(normalised)) throw new Error('an RF reference body is 1 to 21 letters and digits');
  const check = 98 - mod97(asDigits(`${normalised}RF00`));
  return `RF${String(check).padStart(2, '0')}${normalised}`;
}

/** Whether the reference (spaces and case as a person typed them) is a well-formed RF reference with valid check digits. */
export function isValidRfReference(reference: string): boolean {
  const rf = normaliseRf(reference);
  return rfShape.test(rf) && mod97(asDigits(`${rf.slice(4)}${rf.slice(0, 4)}`)) === 1;
}

/** The body of a valid RF reference (what its issuer chose), or null. */
export function rfBody(reference: string): string | null {
  return isValidRfReference(reference) ? normaliseRf(reference).slice(4) : null;
}

/**
 * `RF` and two digits, then up to 21 letters and digits in groups separated by single spaces, as
 * people copy it from a letter. Where the reference ends is not marked (a next word may follow), so
 * {@link rfReferencesInText} tries each group boundary, longest first.
 */
const typedRf = /(?<![A-Za-z0-9])RF\d{2}(?: ?[A-Za-z0-9]+)+/gi;

/** The RF references typed in free text, check digits valid, normalised, in order. */
export function rfReferencesInText(lines: readonly string[]): string[] {
  const found: string[] = [];
  for (const line of lines) {
    for (const [candidate] of line.matchAll(typedRf)) {
      const head = candidate.slice(0, 4).toUpperCase();
      const groups = candidate.slice(4).trim().split(' ');
      for (let n = groups.length; n > 0; n--) {
        const rf = `${head}${groups.slice(0, n).join('')}`.toUpperCase();
        if (rf.length <= 25 && isValidRfReference(rf)) {
          found.push(rf);
          break;
        }
      }
    }
  }
  return [...new Set(found)];
}
