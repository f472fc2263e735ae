/**
 * The SEPA character set (EPC guidelines, interfaces.md §1.3): basic Latin letters, digits,
 * `/ - ? : ( ) . , ' +` and space. Banks reject or mangle anything else, so text we write into a
 * SEPA file is transliterated first ("Öztürk-Çelik Žofie" → "Ozturk-Celik Zofie"); ids are not:
 * an id that changed on the way would no longer match what the bank returns or what the occupant
 * signed, so an id outside the set is refused instead.
 */
const allowedCharacter = /[A-Za-z0-9/\-?:().,'+ ]/;
const allInSet = /^[A-Za-z0-9/\-?:().,'+ ]*$/;
const idInSet = /^[A-Za-z0-9/\-?:().,'+]+$/;

/** Letters that Unicode does not decompose into a base letter and a diacritic. */
const ligaturesAndStrokes: Readonly<Record<string, string>> = {
  ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D',
  ð: 'd', Ð: 'D', þ: 'th', Þ: 'TH', ı: 'i', ħ: 'h', Ħ: 'H', ŀ: 'l', Ŀ: 'L', ĳ: 'ij', Ĳ: 'IJ',
  // Punctuation with a near equivalent inside the set: the meaning survives.
  '&': '+', '‘': "'", '’': "'", '‚': "'", '`': "'", '´': "'", '"': "'", '“': "'", '”': "'", '„': "'",
  '–': '-', '—': '-', '‐': '-', '‑': '-', _: '-', '[': '(', ']': ')', '{': '(', '}': ')', ';': ',',
};

/** EPC field lengths we cut text to (names 70, remittance 140, address parts per the XSD). */
export const sepaMaxLength = {
  name: 70,
  remittance: 140,
  addressLine: 70,
  streetName: 70,
  townName: 35,
  buildingNumber: 16,
  postCode: 16,
  id: 35,
} as const;

/**
 * Text for a SEPA field: diacritics dropped to their base letter (Unicode compatibility
 * decomposition, which also spells out "ﬁ" and full-width letters), ligatures and stroked letters
 * spelled out, other characters outside the set a space (runs collapse), cut to `maxLength`.
 */
export function toSepaText(text: string, maxLength: number): string {
  if (allInSet.test(text)) return tidy(text, maxLength);
  let out = '';
  for (const character of text.normalize('NFKD')) {
    if (allowedCharacter.test(character)) out += character;
    else if (/\p{M}/u.test(character)) continue;
    else out += ligaturesAndStrokes[character] ?? ' ';
  }
  return tidy(out, maxLength);
}

const tidy = (text: string, maxLength: number) => text.replace(/\s+/g, ' ').trim().slice(0, maxLength).trimEnd();

export function isSepaText(text: string): boolean {
  return allInSet.test(text);
}

/** An id the builder would not write as it is; `field` names the element (`EndToEndId`…). */
export class SepaIdRefused extends Error {
  override readonly name = 'SepaIdRefused';
  constructor(
    readonly field: string,
    readonly value: string,
    readonly reason: string,
  ) {
    super(`${field} ${JSON.stringify(value.slice(0, 60))} is not a SEPA-safe id: ${reason}`);
  }
}

/**
 * Why an id (MsgId, PmtInfId, EndToEndId, MndtId, creditor identifier) may not go into a SEPA
 * file, or null when it may: 1–35 characters of the SEPA set without spaces, not starting or
 * ending with `/` and without `//` (EPC rule for references; the Dutch guidelines also exclude
 * spaces, which banks would otherwise trim or fold).
 */
export function sepaIdProblem(value: string, maxLength: number = sepaMaxLength.id): string | null {
  if (value.length === 0) return 'it is empty';
  if (value.length > maxLength) return `it is ${value.length} characters long, at most ${maxLength} are allowed`;
  const outside = idInSet.test(value) ? undefined : [...value].find((character) => character === ' ' || !allowedCharacter.test(character));
  if (outside !== undefined) return `${JSON.stringify(outside)} is outside the SEPA character set for ids (letters, digits and / - ? : ( ) . , ' +)`;
  if (value.startsWith('/') || value.endsWith('/')) return "it may not start or end with '/'";
  if (value.includes('//')) return "it may not contain '//'";
  return null;
}

export function isSepaSafeId(value: string, maxLength?: number): boolean {
  return sepaIdProblem(value, maxLength) === null;
}

/** The id itself, or SepaIdRefused naming the field: never a silently changed id. */
export function sepaId(field: string, value: string, maxLength?: number): string {
  const problem = sepaIdProblem(value, maxLength);
  if (problem !== null) throw new SepaIdRefused(field, value, problem);
  return value;
}
