/** A hold query the language refuses; its message names what and where, for the operator's 400. */
export class HoldQueryError extends Error {}
