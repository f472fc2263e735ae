/**
 * What a log line may never hold: tenants' and employees' names, addresses, IBANs, e-mail
 * addresses and phone numbers, and credentials (API keys, service secrets, session cookies).
 * Three layers, because each catches what the others miss:
 * - {@link redactFields} (and pino's `redact` for the credential headers) drops known fields
 *   wherever a line puts them (a debtor object, a list of claims, headers);
 * - request bodies go through {@link bodyForLog}: an allow-list, so a field added tomorrow is
 *   redacted until someone decides it is safe;
 * - free text (messages, error texts) goes through {@link scrubText}, which masks what looks like
 *   an IBAN, an e-mail address, a Dutch phone number or a bearer token.
 */

export const redacted = '[redacted]';

/** Fields that hold personal data or credentials, by their names in our contracts and tables. */
const personalFields = [
  'name',
  'person',
  'debtor',
  'recipient',
  'address',
  'street',
  'postalCode',
  'postal_code',
  'city',
  'iban',
  'counterIban',
  'counter_iban',
  'counterName',
  'counter_name',
  'email',
  'phone',
  'mobile',
  'bsn',
  'birthDate',
  'note',
  'key',
  'secret',
  'password',
  'token',
];

const credentialHeaders = ['authorization', 'cookie', 'x-api-key', 'proxy-authorization', 'set-cookie'];

const personalFieldSet = new Set(personalFields.map((field) => field.toLowerCase()));
const credentialHeaderSet = new Set(credentialHeaders);

/**
 * pino `redact` paths for the credential headers of a request or answer, however a line carries
 * them. Exact paths: pino's wildcard paths cost tens of microseconds a line, so the personal
 * fields are dropped by {@link redactFields} instead.
 */
export const redactPaths: string[] = credentialHeaders.flatMap((header) => [`headers["${header}"]`, `req.headers["${header}"]`, `res.headers["${header}"]`]);

/**
 * A log line's fields with the personal and credential fields redacted, at any depth (pino's
 * `formatters.log`): a debtor object, a list of claims with names, a headers object. Copies only
 * what it changes; walks plain objects and arrays only (a request, an answer or an error is left
 * to its serializer) and stops at depth 8.
 */
export function redactFields<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const cleaned = redactFields(item, depth + 1);
      if (cleaned !== item) (copy ??= [...value])[index] = cleaned;
    });
    return (copy ?? value) as T;
  }
  // Plain data only: a request, an answer or an error is its serializer's to shape.
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const lower = key.toLowerCase();
    const cleaned = personalFieldSet.has(lower) || credentialHeaderSet.has(lower) ? (item === null || item === undefined ? item : redacted) : redactFields(item, depth + 1);
    if (cleaned !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = cleaned;
  }
  return (copy ?? value) as T;
}

const patterns: readonly [RegExp, string][] = [
  // Bearer tokens and our own key format before anything else could split them.
  [/\b(bearer)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${redacted}`],
  [/\bhi_[a-zA-Z]+_[A-Za-z0-9_-]{16,}/g, redacted],
  // IBAN: country, check digits, 11–30 alphanumerics, in groups of four or not.
  [/\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b/g, redacted],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, redacted],
  // Dutch phone numbers (06-12345678, +31 20 123 4567, 0031…): a date or an amount does not fit.
  [/(?:\+31|\b0031|\b0)[\s-]?[1-9](?:[\s-]?\d){8}\b/g, redacted],
];

/** Masks what looks like personal data or a credential in free text. */
export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Fields whose values say what a request was about without saying who: ids and references,
 * amounts, dates, and the enums of our contracts. Anything else that is a string is redacted.
 */
const safeField = /(?:Id|Ids|_id|Ref|Refs|_ref|^id|^ref)$|^(?:amount|amounts|principal|outstanding|currency|dueDate|date|from|to|since|until|bookedOn|postedOn|promisedOn|reversedOn|objectedOn|days|kind|kinds|segment|stage|status|outcome|role|roles|channel|format|decision|reasonCode|limit|cursor|instalments|claims|holdId|rentedUnits|query)$/;

/** A request body as a log line may hold it: structure, ids, amounts, dates and enums; other text redacted. */
export function bodyForLog(body: unknown, field = '', depth = 0): unknown {
  if (body === null || body === undefined || typeof body === 'number' || typeof body === 'boolean') return body;
  if (typeof body === 'string') return field !== '' && safeField.test(field) ? scrubText(body.slice(0, 200)) : redacted;
  // Deeper than a contract goes: only an attacker's body, and no reason to walk it.
  if (depth > 6) return redacted;
  if (Array.isArray(body)) return body.slice(0, 20).map((item) => bodyForLog(item, field, depth + 1));
  if (typeof body === 'object') {
    return Object.fromEntries(Object.entries(body as Record<string, unknown>).slice(0, 50).map(([key, value]) => [key, bodyForLog(value, key, depth + 1)]));
  }
  return redacted;
}
