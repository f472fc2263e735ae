import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDays } from '../../shared/calendar/iso-date.js';
import { formatMoney, money } from '../../shared/money.js';
import { startSimulationApi, type SimulationApi } from '../support/simulation-api.js';
import { caseRequest, rentClaim } from '../support/tracks.js';

let api: SimulationApi;

beforeAll(async () => {
  api = await startSimulationApi(inject('databaseAdminUrl'));
});
afterAll(async () => {
  await api?.close();
});

describe('payment arrangements through HTTP, in simulation', () => {
  it('refuses a bad arrangement with the rule, accepts a good one, and closes the track as paid when it is kept', async () => {
    const today = await api.today();
    // Arrears of last month, this month's rent paid: an arrangement is possible under the default rules.
    const created = await api.call('POST', '/v1/cases', {
      key: api.keys.billing,
      body: caseRequest({ claims: [rentClaim('AR-1', '900.00', addDays(today, -35))] }),
    });
    expect(created.status).toBe(201);
    const caseId: string = created.body.caseId;
    const owed: string = (await api.caseWhen(caseId, (c) => c.letters?.length >= 1)).balance.outstanding;
    const half = formatMoney(money(owed).dividedBy(2).toDecimalPlaces(2));
    const rest = formatMoney(money(owed).minus(half));
    const path = `/v1/cases/${caseId}/arrangements`;

    expect((await api.call('POST', path, { key: api.keys.billing, body: { instalments: [] } })).status).toBe(403);
    const malformed = await api.call('POST', path, { key: api.keys.operator, body: { instalments: [{ dueDate: '2026-13-01', amount: 12.5 }] } });
    expect(malformed.status).toBe(400);
    const tooLong = await api.call('POST', path, {
      key: api.keys.operator,
      body: { instalments: [{ dueDate: addDays(today, 7), amount: half }, { dueDate: addDays(today, 7 + 400), amount: rest }] },
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.code).toBe('arrangement_too_long');
    const short = await api.call('POST', path, { key: api.keys.operator, body: { instalments: [{ dueDate: addDays(today, 7), amount: half }] } });
    expect(short.status).toBe(422);
    expect(short.body.error.code).toBe('total_below_outstanding');
    expect((await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator })).body.arrangement).toBeNull();

    const instalments = [
      { dueDate: addDays(today, 7), amount: half },
      { dueDate: addDays(today, 37), amount: rest },
    ];
    const accepted = await api.call('POST', path, { key: api.keys.operator, body: { instalments } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ accepted: true, total: owed, firstDueDate: instalments[0]!.dueDate, lastDueDate: instalments[1]!.dueDate });
    let status = await api.caseWhen(caseId, (c) => c.stage === 'arrangement' && c.arrangement?.status === 'active');
    // One at a time.
    const second = await api.call('POST', path, { key: api.keys.operator, body: { instalments } });
    expect(second.status).toBe(409);

    for (const [i, instalment] of instalments.entries()) {
      await api.advance(Math.round((Date.parse(instalment.dueDate) - Date.parse(await api.today())) / 86_400_000));
      const paid = await api.call('POST', `/v1/cases/${caseId}/payments`, {
        key: api.keys.billing,
        body: { transactionId: `ar-${caseId}-${i}`, amount: instalment.amount, bookedOn: instalment.dueDate },
      });
      expect(paid.status).toBe(202);
    }
    status = await api.caseWhen(caseId, (c) => c.stage === 'closed');
    expect(status).toMatchObject({ closedReason: 'paid', balance: { outstanding: '0.00' }, arrangement: { status: 'completed' } });
    const letters = await api.database.db.selectFrom('letter').select('kind').where('case_id', '=', caseId).execute();
    expect(letters.map((l) => l.kind)).toEqual(expect.arrayContaining(['arrangement_confirmation', 'instalment_reminder']));
  });
});
