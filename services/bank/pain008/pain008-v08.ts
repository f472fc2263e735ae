import type { PostalAddress } from './collection-file.js';
import type { Pain008Dialect, XmlTree } from './pain008-dialect.js';

/**
 * pain.008.001.08 (the 2019 messages): structured addresses, which Dutch banks require from
 * November 2025 (interfaces.md §1.2), in the schema's element order.
 */
export const pain008v08: Pain008Dialect = {
  namespace: 'urn:iso:std:iso:20022:tech:xsd:pain.008.001.08',
  bicElement: 'BICFI',
  postalAddress(address: PostalAddress): XmlTree {
    return {
      StrtNm: address.streetName,
      BldgNb: address.buildingNumber,
      PstCd: address.postCode,
      TwnNm: address.townName,
      Ctry: address.country,
    };
  },
};
