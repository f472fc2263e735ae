import { z } from 'zod';
import { stages } from '../../../shared/track/stages.js';
import type { PersonalDataExport } from '../personal-data-export.js';
import { caseIdParamsSchema } from './cases.js';
import { taskFields } from './tasks.js';
import { dateField, instantField, moneyField } from './response-fields.js';
import { defineRoute, describesEveryField, errorResponse, responseSchema } from './route-contract.js';

const addressSchema = z.object({ street: z.string(), postalCode: z.string(), city: z.string() });
const contactFields = { name: z.string(), address: addressSchema, email: z.string().nullable(), phone: z.string().nullable(), iban: z.string().nullable(), bsn: z.string().nullable() };

const personalDataSchema = responseSchema(
  'PersonalData',
  describesEveryField<PersonalDataExport>()(
    z.object({
      caseId: z.uuid(),
      corporationId: z.string(),
      contractRef: z.string(),
      stage: z.enum(stages).nullable(),
      closedOn: dateField.nullable(),
      anonymisedOn: dateField.nullable().meta({ description: "set once the retention period ended: names, addresses, contact details and notes read '[geanonimiseerd]'" }),
      debtor: z.object({ version: z.number().int(), ...contactFields, updatedAt: instantField.nullable() }).nullable(),
      debtorVersions: z.array(z.object({ version: z.number().int(), ...contactFields, changedBy: z.string(), changedAt: instantField.nullable() })),
      consent: z
        .object({ email: z.boolean(), sms: z.boolean(), whatsapp: z.boolean(), recordedBy: z.string(), recordedAt: instantField.nullable() })
        .nullable()
        .meta({ description: 'the digital channels the tenant consented to be written to (PUT /v1/cases/:caseId/consent), who recorded it and when; null: never recorded, letters go by post' }),
      claims: z.array(z.object({ invoiceRef: z.string(), description: z.string(), amount: moneyField, dueDate: dateField })),
      payments: z.array(z.object({ transactionId: z.string(), amount: moneyField, bookedOn: dateField, reversedOn: dateField.nullable() })),
      paymentReference: z.string().nullable(),
      bankEntries: z
        .array(
          z.object({
            entryId: z.string(),
            bookingDate: dateField,
            amount: moneyField,
            direction: z.enum(['CRDT', 'DBIT']),
            counterName: z.string().nullable(),
            counterIban: z.string().nullable(),
            freeText: z.string().nullable(),
            structuredRef: z.string().nullable(),
            fate: z.string(),
            matchRule: z.string().nullable(),
            transactionId: z.string().nullable(),
            anonymisedOn: dateField.nullable(),
          }),
        )
        .meta({ description: "the bank statement lines booked to the case, with the payer's name, account and text as the bank reported them" }),
      letters: z.array(
        z.object({
          letterId: z.string(),
          kind: z.string(),
          channel: z.string(),
          postedOn: dateField,
          deliveredOn: dateField.nullable(),
          template: z.string(),
          debtorVersion: z.number().int().nullable(),
          addressedTo: z.object({ name: z.string(), address: addressSchema }).nullable().meta({ description: 'the debtor version the letter was printed with; null for letters from before the debtor history' }),
          body: z.string(),
        }),
      ),
      notes: z.array(z.object({ topic: z.string(), note: z.string(), recordedBy: z.string(), recordedAt: instantField.nullable() })),
      tasks: z
        .array(
          z.object(taskFields).pick({
            taskId: true,
            kind: true,
            status: true,
            openedOn: true,
            expiresOn: true,
            arrears: true,
            outcome: true,
            promisedOn: true,
            note: true,
            completedBy: true,
            completedAt: true,
          }),
        )
        .meta({ description: "call and visit tasks; the worklist shows them with the debtor's current contact details (debtor)" }),
      signals: z.object({
        earlyWarning: z.array(
          z.object({ signalId: z.string(), municipalityCode: z.string().nullable(), arrears: moneyField, inDefaultSince: dateField, signalDate: dateField, receipt: z.string() }),
        ),
        objections: z.array(z.object({ objectedOn: dateField, note: z.string().nullable(), recordedBy: z.string() })),
        municipality: z.array(z.object({ signalId: z.string(), kind: z.string(), arrears: moneyField, signalDate: dateField, receipt: z.string() })),
      }),
      bailiff: z.object({
        officeId: z.string().nullable(),
        handedOverOn: dateField.nullable(),
        instructions: z.array(z.object({ instruction: z.string(), officeId: z.string(), detail: z.unknown(), at: instantField.nullable() })),
      }),
    }),
  ),
);

export const personalDataContracts = {
  exportPersonalData: defineRoute({
    operationId: 'exportPersonalData',
    method: 'get',
    path: '/v1/cases/:caseId/personal-data',
    access: ['operator', 'admin'],
    scope: 'case',
    audit: 'personal-data-read',
    summary: "Everything held about the case's debtor, as JSON (AVG art. 15, the right of access): details and their history, claims, payments, letters with their addressing, notes, tasks, signals, the bailiff's instructions; each export is written to the audit trail",
    params: caseIdParamsSchema,
    responses: { 200: { description: 'the personal data held for the case', schema: personalDataSchema }, 404: errorResponse('not_found: no such case') },
  }),
} as const;
