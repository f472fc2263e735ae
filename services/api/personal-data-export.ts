import type { Kysely } from 'kysely';
import { claimsOfCase } from '../../infra/db/case-store.js';
import type { Database } from '../../infra/db/database.js';

const address = (row: { street: string; postal_code: string; city: string }) => ({ street: row.street, postalCode: row.postal_code, city: row.city });
const iso = (at: Date | null) => (at ? at.toISOString() : null);

/**
 * Everything Postgres holds about a case's debtor (AVG art. 15: the tenant's right of access), for
 * one case the caller may see. The workflow holds no personal data, so this is all of it.
 */
export async function personalDataOf(db: Kysely<Database>, caseId: string) {
  const [caseRow, debtor, versions, claims, payments, reference, letters, notes, tasks, earlyWarnings, objections, municipalitySignals, instructions] = await Promise.all([
    db
      .selectFrom('collection_case')
      .select(['case_id', 'corporation_id', 'contract_ref', 'stage', 'closed_on', 'anonymised_on', 'bailiff_office_id', 'handed_over_on'])
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow(),
    db.selectFrom('debtor').selectAll().where('case_id', '=', caseId).executeTakeFirst(),
    db.selectFrom('debtor_version').selectAll().where('case_id', '=', caseId).orderBy('version').execute(),
    claimsOfCase(db, caseId),
    db.selectFrom('payment').select(['transaction_id', 'amount', 'booked_on', 'reversed_on']).where('case_id', '=', caseId).orderBy('booked_on').orderBy('transaction_id').execute(),
    db.selectFrom('payment_reference').select('reference').where('case_id', '=', caseId).executeTakeFirst(),
    db.selectFrom('letter').selectAll().where('case_id', '=', caseId).orderBy('posted_on').orderBy('created_at').execute(),
    db.selectFrom('case_note').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute(),
    db.selectFrom('task').selectAll().where('case_id', '=', caseId).orderBy('opened_on').orderBy('task_id').execute(),
    db.selectFrom('early_warning_signal').selectAll().where('case_id', '=', caseId).orderBy('signal_date').execute(),
    db.selectFrom('early_warning_objection').selectAll().where('case_id', '=', caseId).orderBy('recorded_at').execute(),
    db.selectFrom('municipality_signal').selectAll().where('case_id', '=', caseId).orderBy('signal_date').execute(),
    db.selectFrom('bailiff_instruction').select(['instruction', 'office_id', 'detail', 'created_at']).where('case_id', '=', caseId).orderBy('created_at').execute(),
  ]);
  const versionByNumber = new Map(versions.map((v) => [v.version, v]));
  // What the tenant agreed to be written to by (PUT /v1/cases/:caseId/consent): a choice of theirs, so theirs to see.
  const consent = await db.selectFrom('debtor_consent').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  // The bank lines booked to the case: who paid from which account, and what they wrote with it.
  const bankEntries = await db
    .selectFrom('bank_entry')
    .select(['entry_id', 'booking_date', 'amount', 'direction', 'counter_name', 'counter_iban', 'free_text', 'structured_ref', 'fate', 'match_rule', 'transaction_id', 'anonymised_on'])
    .where('case_id', '=', caseId)
    .orderBy('booking_date')
    .orderBy('entry_id')
    .execute();

  return {
    caseId: caseRow.case_id,
    corporationId: caseRow.corporation_id,
    contractRef: caseRow.contract_ref,
    stage: caseRow.stage,
    closedOn: caseRow.closed_on,
    anonymisedOn: caseRow.anonymised_on,
    debtor: debtor
      ? { version: debtor.version, name: debtor.name, address: address(debtor), email: debtor.email, phone: debtor.phone, iban: debtor.iban, bsn: debtor.bsn, updatedAt: iso(debtor.updated_at) }
      : null,
    debtorVersions: versions.map((v) => ({
      version: v.version,
      name: v.name,
      address: address(v),
      email: v.email,
      phone: v.phone,
      iban: v.iban,
      bsn: v.bsn,
      changedBy: v.changed_by,
      changedAt: iso(v.changed_at),
    })),
    consent: consent ? { email: consent.email, sms: consent.sms, whatsapp: consent.whatsapp, recordedBy: consent.recorded_by, recordedAt: iso(consent.recorded_at) } : null,
    claims,
    payments: payments.map((p) => ({ transactionId: p.transaction_id, amount: p.amount, bookedOn: p.booked_on, reversedOn: p.reversed_on })),
    paymentReference: reference?.reference ?? null,
    bankEntries: bankEntries.map((e) => ({
      entryId: e.entry_id,
      bookingDate: e.booking_date,
      amount: e.amount,
      direction: e.direction,
      counterName: e.counter_name,
      counterIban: e.counter_iban,
      freeText: e.free_text,
      structuredRef: e.structured_ref,
      fate: e.fate,
      matchRule: e.match_rule,
      transactionId: e.transaction_id,
      anonymisedOn: e.anonymised_on,
    })),
    letters: letters.map((l) => {
      const addressedWith = l.debtor_version === null ? undefined : versionByNumber.get(l.debtor_version);
      return {
        letterId: l.letter_id,
        kind: l.kind,
        channel: l.channel,
        postedOn: l.posted_on,
        deliveredOn: l.delivered_on,
        template: l.template,
        debtorVersion: l.debtor_version,
        // Who it went to: the debtor's details as they stood when it was printed.
        addressedTo: addressedWith ? { name: addressedWith.name, address: address(addressedWith) } : null,
        body: l.body,
      };
    }),
    notes: notes.map((n) => ({ topic: n.topic, note: n.note, recordedBy: n.actor, recordedAt: iso(n.created_at) })),
    tasks: tasks.map((t) => ({
      taskId: t.task_id,
      kind: t.kind,
      status: t.status,
      openedOn: t.opened_on,
      expiresOn: t.expires_on,
      arrears: t.arrears,
      outcome: t.outcome,
      promisedOn: t.promised_on,
      note: t.note,
      completedBy: t.completed_by,
      completedAt: iso(t.completed_at),
    })),
    signals: {
      earlyWarning: earlyWarnings.map((s) => ({
        signalId: s.signal_id,
        municipalityCode: s.municipality_code,
        arrears: s.arrears,
        inDefaultSince: s.in_default_since,
        signalDate: s.signal_date,
        receipt: s.receipt,
      })),
      objections: objections.map((o) => ({ objectedOn: o.objected_on, note: o.note, recordedBy: o.recorded_by })),
      municipality: municipalitySignals.map((s) => ({ signalId: s.signal_id, kind: s.kind, arrears: s.arrears, signalDate: s.signal_date, receipt: s.receipt })),
    },
    bailiff: {
      officeId: caseRow.bailiff_office_id,
      handedOverOn: caseRow.handed_over_on,
      instructions: instructions.map((i) => ({ instruction: i.instruction, officeId: i.office_id, detail: i.detail, at: iso(i.created_at) })),
    },
  };
}

export type PersonalDataExport = Awaited<ReturnType<typeof personalDataOf>>;
