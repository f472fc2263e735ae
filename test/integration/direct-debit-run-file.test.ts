import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { upsertCreditor } from '../../infra/db/direct-debit/creditor-store.js';
import { storeOccupancy } from '../../infra/db/direct-debit/occupancy-store.js';
import { planCollectionMonth } from '../../infra/db/direct-debit/run-planning.js';
import { submitRunFile } from '../../services/bank/direct-debit/run-file.js';
import { assertReleasablePain008 } from '../../services/bank/pain008/validated-pain008.js';
import { HttpError } from '../../services/http/errors.js';
import { monthCalendar } from '../../shared/direct-debit/collection-calendar.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { ensureTestCorporation } from '../support/tracks.js';

/**
 * The bank adapter's run file against a real database and a real drop folder: built from
 * Postgres, checked, dropped once under its message id, and a file that fails its checks never
 * leaves (the run is marked refused, the debits stay planned).
 */
let database: TestDatabase;
const outbox = mkdtempSync(join(tmpdir(), 'dd-outbox-'));
const schedule = { collectionDay: 1, collectionDayShift: 'later' as const, prenoticeDays: 14, runsPerMonth: 2, runIntervalDays: 7 };
const creditor = (creditorId: string) => ({
  corporationId: 'test-corp',
  name: 'Incassodienst Voorbeeld',
  creditorIdentifier: 'NL69ZZZ123456780000',
  iban: 'NL91ABNA0417164300',
  bic: null,
  accountMode: 'provider_account' as const,
  painVersion: 'pain.008.001.08' as const,
  collectionDay: 1,
  collectionDayShift: 'later' as const,
  prenoticeDays: 14,
  runIntervalDays: 7,
  limits: { maxPerDebit: '500.00', maxRunTotal: '10000.00', runsPerMonth: 2 },
});
const occupancy = (creditorId: string) => ({
  creditorId,
  corporationId: 'test-corp',
  contractRef: `HC-${creditorId}`,
  unitRef: 'Unit 3',
  occupant: { name: 'Zoë Çelik', address: { street: 'Laan 3', postalCode: '1234 AB', city: 'Utrecht' }, email: null, iban: null },
  movedInOn: '2026-10-01',
  mandate: { mandateId: `MND-${creditorId}`, signedOn: '2026-09-15', iban: 'NL02ABNA0123456789', bic: null },
  advance: { amount: '85.00', from: '2026-11' },
});

async function plannedRun(creditorId: string) {
  await upsertCreditor(database.db, creditorId, creditor(creditorId));
  await storeOccupancy(database.db, `occ-${creditorId}`, occupancy(creditorId), '2026-12-02', 'test');
  const plan = await planCollectionMonth(database.db, creditorId, '2027-03', monthCalendar(schedule, '2027-03').runs);
  return plan.runs[0]!.runId;
}

beforeAll(async () => {
  database = await createTestDatabase(inject('databaseAdminUrl'));
  await ensureTestCorporation(database.db);
});
afterAll(async () => {
  await database?.drop();
});

describe("a run's pain.008 in the bank's drop folder", () => {
  it('drops the validated file once under its message id and answers a repeat with the run as submitted', async () => {
    const runId = await plannedRun('dd-file');
    const result = await submitRunFile(database.db, outbox, runId);
    // The run's figures only: a run of 10,000 debits answers as few bytes as a run of one.
    expect(result).toEqual({ runId, status: 'submitted', messageId: expect.any(String), count: 1, total: '85.00', withheld: 0 });
    const path = join(outbox, 'dd-file', `${result.messageId}.xml`);
    const xml = readFileSync(path, 'utf8');
    await assertReleasablePain008(xml, 'pain.008.001.08');
    expect(xml).toContain('<Nm>Zoe Celik</Nm>');
    expect(xml).toContain('Voorschot servicekosten maart 2027 Unit 3');
    const stored = await database.db.selectFrom('direct_debit_run').select(['xml', 'status']).where('run_id', '=', runId).executeTakeFirstOrThrow();
    expect(stored).toEqual({ xml, status: 'submitted' });
    const written = statSync(path).mtimeMs;
    expect(await submitRunFile(database.db, outbox, runId)).toEqual(result);
    expect(statSync(path).mtimeMs).toBe(written);
    expect(readdirSync(join(outbox, 'dd-file'))).toEqual([`${result.messageId}.xml`]);
  });

  it('refuses a file that fails its checks: nothing leaves, the run is marked refused, the debits stay planned', async () => {
    const runId = await plannedRun('dd-broken');
    // A creditor identifier whose check digits are wrong, as a hand-edited row would have it.
    await database.db.updateTable('creditor').set({ creditor_identifier: 'NL00ZZZ123456780000' }).where('creditor_id', '=', 'dd-broken').execute();
    const refused = await submitRunFile(database.db, outbox, runId).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ status: 422, code: 'pain008_refused' });
    expect(existsSync(join(outbox, 'dd-broken'))).toBe(false);
    expect((await database.db.selectFrom('direct_debit_run').select('status').where('run_id', '=', runId).executeTakeFirstOrThrow()).status).toBe('refused');
    expect((await database.db.selectFrom('direct_debit').select('status').where('run_id', '=', runId).execute()).map((d) => d.status)).toEqual(['planned']);
  });

  it.each([
    ['pain.008.001.08', false],
    ['pain.008.001.02', true],
  ] as const)('a new creditor identifier: the next debit of the mandate carries AmdmntInd with OrgnlCdtrSchmeId, XSD-valid in %s; the one after it none', async (painVersion, newMandateId) => {
    const creditorId = `dd-ci-${painVersion.slice(-2)}`;
    const monthRun = async (month: string) => {
      const plan = await planCollectionMonth(database.db, creditorId, month, monthCalendar(schedule, month).runs);
      await submitRunFile(database.db, outbox, plan.runs[0]!.runId);
      return (await database.db.selectFrom('direct_debit_run').select('xml').where('run_id', '=', plan.runs[0]!.runId).executeTakeFirstOrThrow()).xml!;
    };
    await upsertCreditor(database.db, creditorId, { ...creditor(creditorId), painVersion });
    await storeOccupancy(database.db, `occ-${creditorId}`, occupancy(creditorId), '2026-12-02', 'test');
    expect(await monthRun('2027-03')).toContain('<AmdmntInd>false</AmdmntInd>');

    // The collection is taken over under another incassant-ID (and, for .02, the mandate renumbered with it).
    await upsertCreditor(database.db, creditorId, { ...creditor(creditorId), painVersion, creditorIdentifier: 'NL32ZZZ876543210000' });
    if (newMandateId) await storeOccupancy(database.db, `occ-${creditorId}`, { ...occupancy(creditorId), mandate: { ...occupancy(creditorId).mandate, mandateId: `MND2-${creditorId}` } }, '2027-03-10', 'test');
    const amended = await monthRun('2027-04');
    await assertReleasablePain008(amended, painVersion);
    const details = amended.match(/<AmdmntInfDtls>(.*?)<\/AmdmntInfDtls>/s)?.[1]?.replace(/\s+/g, '');
    expect(amended).toContain('<AmdmntInd>true</AmdmntInd>');
    expect(details).toBe(
      (newMandateId ? `<OrgnlMndtId>MND-${creditorId}</OrgnlMndtId>` : '') +
        '<OrgnlCdtrSchmeId><Id><PrvtId><Othr><Id>NL69ZZZ123456780000</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></OrgnlCdtrSchmeId>',
    );
    // The batch itself goes under the new identifier.
    expect(amended.replace(/\s+/g, '')).toContain('<CdtrSchmeId><Id><PrvtId><Othr><Id>NL32ZZZ876543210000</Id>');
    const debit = await database.db.selectFrom('direct_debit').select('amendment').where('occupancy_id', '=', `occ-${creditorId}`).where('month', '=', '2027-04').executeTakeFirstOrThrow();
    expect(debit.amendment).toMatchObject({ originalCreditorIdentifier: 'NL69ZZZ123456780000' });

    // The bank has seen the new identifier: May's debit is plain again.
    const after = await monthRun('2027-05');
    expect(after).toContain('<AmdmntInd>false</AmdmntInd>');
    expect(after).not.toContain('OrgnlCdtrSchmeId');
  });
});
