import { z } from 'zod';
import { bankEntryFates, bankEntryMatchRules } from '../../../shared/bank/bank-entry.js';
import { idPartPattern } from '../../../shared/track/workflow-id.js';
import { dateField, instantField } from './response-fields.js';
import { defineRoute, engineUnavailable, errorResponse, responseSchema } from './route-contract.js';

/** A bank file up to this size: a large corporation's daily camt.053 is a few MB. */
export const statementLimitMb = 20;

const corporationId = z.string().regex(idPartPattern, 'a corporation id');
export const statementQuerySchema = z.object({ corporationId });
export const statementBodySchema = z.string({ error: 'the body is the bank file (application/xml)' }).min(1, 'the body is the bank file (application/xml)');
export const importIdParamsSchema = z.object({ importId: z.uuid('importId is a UUID') });
export const entryIdParamsSchema = z.object({ entryId: z.string().regex(/^be-[0-9a-f]{32}$/, 'an entry id (be- and 32 hex digits)') });
export const worklistQuerySchema = z.object({ corporationId });
export const resolveEntrySchema = z.union([
  z.strictObject({ caseId: z.uuid('caseId is a UUID') }),
  z.strictObject({ action: z.enum(['refund', 'not_ours']) }),
]);

const counts = {
  importId: z.uuid(),
  format: z.string().meta({ description: 'camt.053.001.02, camt.053.001.08, camt.054.001.02, camt.054.001.08, pain.002.001.03 or pain.002.001.10' }),
  entries: z.number().int().meta({ description: 'booking lines in the file (a batch entry: one per transaction)' }),
  new: z.number().int().meta({ description: 'lines not seen before' }),
  matched: z.number().int().meta({ description: 'new credits booked as a payment on a case' }),
  unmatched: z.number().int().meta({ description: 'new lines put on the worklist' }),
  duplicates: z.number().int().meta({ description: 'lines an earlier import already settled: nothing changed' }),
  reversals: z.number().int().meta({ description: 'returns and reversals that undid a payment' }),
  directDebits: z.number().int().meta({
    description: "lines that are our own direct debits: returns and refunds told to the occupancy's advance account, and the credits of our collection runs (a pain.002: the debits it newly rejected)",
  }),
};
const statusReportFields = {
  originalMessageId: z.string().meta({ description: 'OrgnlMsgId: our pain.008 the report is about' }),
  groupStatus: z.string().nullable(),
  rejected: z.array(z.string()).meta({ description: "end-to-end ids of debits rejected now, each told to its occupancy's advance account" }),
  alreadyRejected: z.array(z.string()).meta({ description: 'end-to-end ids known as rejected already: nothing changed' }),
  unknownEndToEndIds: z.array(z.string()).meta({ description: "end-to-end ids that are not the corporation's debits: nothing changed" }),
  unknownBatches: z.array(z.string()).meta({ description: "a rejected file (OrgnlMsgId) or batch (OrgnlPmtInfId) that is not one of the corporation's runs" }),
  notApplied: z.array(z.object({ endToEndId: z.string(), status: z.string(), why: z.enum(['does_not_fit', 'no_account']) })).meta({
    description: 'rejected debits past a reject (returned, refunded, withheld), or without a running advance account: for a person',
  }),
};
const entryFields = {
  entryId: z.string(),
  bookingDate: dateField,
  amount: z.string(),
  currency: z.string(),
  direction: z.enum(['CRDT', 'DBIT']),
  reversal: z.boolean(),
  bankTxCode: z.string().nullable(),
  returnReason: z.string().nullable(),
  structuredRef: z.string().nullable(),
  freeText: z.string().nullable(),
  counterIban: z.string().nullable(),
  counterName: z.string().nullable(),
  fate: z.enum(bankEntryFates),
  matchRule: z.enum(bankEntryMatchRules).nullable(),
  caseId: z.string().nullable(),
  transactionId: z.string().nullable().meta({ description: "the payment's id on the track" }),
};
const importSchema = responseSchema(
  'BankImport',
  z.object({ ...counts, statusReport: z.object(statusReportFields).optional().meta({ description: 'a pain.002: what it said of our direct debits' }) }),
);
const bankEntrySchema = responseSchema('BankEntry', z.object(entryFields));
const importWithEntriesSchema = responseSchema(
  'BankImportWithEntries',
  z.object({ ...counts, createdAt: instantField, entries: z.number().int(), lines: z.array(z.object({ ...entryFields, duplicate: z.boolean() })) }),
);
const worklistSchema = responseSchema('BankWorklist', z.object({ entries: z.array(bankEntrySchema) }));

export const bankContracts = {
  importStatement: defineRoute({
    operationId: 'importStatement',
    method: 'post',
    path: '/v1/bank/statements',
    access: ['billing'],
    scope: 'corporation-in-query',
    audit: 'decision',
    summary:
      "Import a bank file of the corporation's account (camt.053 or camt.054, .001.02 or .001.08, or a pain.002 .001.03 or .001.10; the namespace says which): each line stored once, " +
      'credits matched to a case (structured betalingskenmerk, one typed in the text, the debtor IBAN of one open case) and booked on its track, returns undoing the payment they return, the rest on the worklist. ' +
      'The same file again, or one that overlaps, changes nothing. Lines of our own direct debits (their end-to-end id, or the batch of a collection run) are not payments: a return or refund is told to the ' +
      "occupancy's advance account. A pain.002 status report rejects the debits it names (all of a rejected file or batch); ids it names that are not ours are listed and change nothing",
    query: statementQuerySchema,
    body: { schema: statementBodySchema, name: 'statement', mediaType: 'application/xml', limitMb: statementLimitMb },
    responses: {
      201: { description: 'imported: what became of its lines', schema: importSchema },
      400: errorResponse('invalid_statement: the file does not parse; details name the line and element. Nothing is stored'),
      415: errorResponse('unsupported_media_type: not application/xml, or a file of another kind (named in the message)'),
      422: errorResponse("account_of_another_corporation: the file's account is the IBAN another corporation gave as its own. Nothing is stored"),
      503: engineUnavailable,
    },
  }),
  getImport: defineRoute({
    operationId: 'getBankImport',
    method: 'get',
    path: '/v1/bank/imports/:importId',
    access: ['billing', 'operator', 'approver', 'admin'],
    scope: 'bank-import',
    audit: 'personal-data-read',
    summary: 'A bank import: its counts and what became of each of its lines',
    params: importIdParamsSchema,
    responses: { 200: { description: 'the import', schema: importWithEntriesSchema } },
  }),
  listUnmatched: defineRoute({
    operationId: 'listUnmatchedBankEntries',
    method: 'get',
    path: '/v1/bank/unmatched',
    access: ['operator', 'approver', 'admin'],
    scope: 'corporation-in-query',
    audit: 'personal-data-read',
    summary: "The corporation's bank lines no rule matched: the worklist, oldest first",
    query: worklistQuerySchema,
    responses: { 200: { description: 'the worklist', schema: worklistSchema } },
  }),
  resolveUnmatched: defineRoute({
    operationId: 'resolveUnmatchedBankEntry',
    method: 'post',
    path: '/v1/bank/unmatched/:entryId',
    access: ['operator'],
    scope: 'bank-entry',
    audit: 'decision',
    summary: "Settle a line of the worklist: { caseId } books it as a payment on that case (as if it had matched), { action: 'refund' | 'not_ours' } takes it off the list",
    params: entryIdParamsSchema,
    body: { schema: resolveEntrySchema, name: 'resolution' },
    responses: {
      200: { description: 'settled', schema: bankEntrySchema },
      404: errorResponse('not_found: no such line, or of a corporation the key does not hold; or the case is not of its corporation'),
      409: errorResponse('conflict: the line is not on the worklist (settled before), or only a credit can be booked to a case, or the case is closed'),
      503: engineUnavailable,
    },
  }),
};
