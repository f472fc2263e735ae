/**
 * The two ways a pain.008 does not leave: its input cannot be written as a SEPA file
 * (Pain008InputRefused, before any XML exists), or the XML it became fails the official schema or
 * its own control sums (Pain008Refused, with the validator's messages). An id outside the SEPA
 * character set is a SepaIdRefused (shared/sepa/sepa-characters.ts).
 */
export class Pain008InputRefused extends Error {
  override readonly name = 'Pain008InputRefused';
  constructor(
    /** Where in the input, such as `batches[0].debits[3].amount`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export class Pain008Refused extends Error {
  override readonly name = 'Pain008Refused';
  constructor(
    readonly version: string,
    /** The xmllint messages, or the control-sum differences, one a line. */
    readonly errors: readonly string[],
  ) {
    super(`the ${version} file was refused: ${errors.slice(0, 5).join('; ')}${errors.length > 5 ? `; and ${errors.length - 5} more` : ''}`);
  }
}
