/**
 * A bank file (camt.053/.054, pain.002) refused whole, before anything of it is stored: what is
 * wrong, and where (line and element, when the reader knows).
 */
export class BankFileRefused extends Error {
  constructor(
    readonly kind: 'malformed' | 'unsupported',
    message: string,
    readonly where: { readonly line?: number; readonly element?: string } = {},
  ) {
    super(message);
  }
}
