import type { PostalAddress } from './collection-file.js';

/** An element tree in xmlbuilder2's object form: `@` attributes, `#` text, undefined left out. */
export type XmlTree = { readonly [element: string]: string | XmlTree | readonly (string | XmlTree)[] | undefined };

/**
 * What differs between the pain.008 versions we write: the namespace, how an agent's BIC is
 * called (`BIC` in .02, `BICFI` in .08), and how an address is written. The rest of the message is
 * the same and lives in pain008-document.ts.
 */
export interface Pain008Dialect {
  readonly namespace: string;
  readonly bicElement: 'BIC' | 'BICFI';
  postalAddress(address: PostalAddress): XmlTree;
}
