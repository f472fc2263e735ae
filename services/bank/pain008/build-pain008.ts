import { create } from 'xmlbuilder2';
import { checkCollectionFile } from './checked-collection-file.js';
import type { CollectionFile, Pain008Version } from './collection-file.js';
import type { Pain008Dialect } from './pain008-dialect.js';
import { pain008Document } from './pain008-document.js';
import { pain008v02 } from './pain008-v02.js';
import { pain008v08 } from './pain008-v08.js';

const dialects: Readonly<Record<Pain008Version, Pain008Dialect>> = {
  'pain.008.001.02': pain008v02,
  'pain.008.001.08': pain008v08,
};

/**
 * The pain.008 XML of a collection file, in the version the creditor's bank takes. Throws
 * Pain008InputRefused or SepaIdRefused for input that cannot be written as it is; the XML is not
 * checked against the schema here (buildValidatedPain008 does that, before a file may leave).
 */
export function buildPain008(file: CollectionFile, version: Pain008Version): string {
  const dialect = dialects[version];
  if (!dialect) throw new RangeError(`unknown pain.008 version ${JSON.stringify(version)}`);
  return create({ version: '1.0', encoding: 'UTF-8' }, pain008Document(checkCollectionFile(file), dialect)).end({ prettyPrint: true });
}
