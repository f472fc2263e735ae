import type { PostalAddress } from './collection-file.js';
import type { Pain008Dialect, XmlTree } from './pain008-dialect.js';

/**
 * pain.008.001.02 (the 2009 messages, the Dutch guidelines' base): the EPC guidelines allow only
 * `Ctry` and at most two `AdrLine`s, so a structured address is written as two lines.
 */
export const pain008v02: Pain008Dialect = {
  namespace: 'urn:iso:std:iso:20022:tech:xsd:pain.008.001.02',
  bicElement: 'BIC',
  postalAddress(address: PostalAddress): XmlTree {
    const street = [address.streetName, address.buildingNumber].filter(Boolean).join(' ');
    const town = [address.postCode, address.townName].filter(Boolean).join(' ');
    return { Ctry: address.country, AdrLine: [street, town].filter(Boolean).map((line) => line.slice(0, 70).trimEnd()) };
  },
};
