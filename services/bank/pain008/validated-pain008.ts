import { validateAgainstSchema } from '../xsd/validate-xml.js';
import { buildPain008 } from './build-pain008.js';
import type { CollectionFile, Pain008Version } from './collection-file.js';
import { checkSepaRules } from './check-sepa-rules.js';
import { Pain008Refused } from './pain008-errors.js';

export { Pain008Refused } from './pain008-errors.js';

/**
 * The only way a pain.008 leaves: built, then checked against the official XSD of its version and
 * the SEPA rules the schema cannot see. A file that fails throws Pain008Refused with the messages.
 */
export async function buildValidatedPain008(file: CollectionFile, version: Pain008Version): Promise<string> {
  const xml = buildPain008(file, version);
  await assertReleasablePain008(xml, version);
  return xml;
}

/**
 * The check of a pain.008 as XML, also for a file that was built earlier and stored: the schema
 * (what the bank's parser will refuse), then the SEPA rules the schema cannot see (control sums,
 * mandate id and date on every debit; check-sepa-rules.ts).
 */
export async function assertReleasablePain008(xml: string, version: Pain008Version): Promise<void> {
  const schema = await validateAgainstSchema(xml, version);
  if (!schema.valid) throw new Pain008Refused(version, schema.errors);
  const problems = checkSepaRules(xml);
  if (problems.length > 0) throw new Pain008Refused(version, problems);
}
