import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCaseEventActivities } from '../../activities/case-events.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { caseRequest, ensureTestCorporation, rentClaim, seedCase } from '../support/tracks.js';

let api: ApiHarness;
const today = amsterdamDate(Date.now());
const otherCorporation = 'search-other-corp';

interface Found {
  caseId: string;
  corporationId: string;
  contractRef: string;
  workflowId: string;
  stage: string | null;
  closedReason: string | null;
}

/** Cases stored the way POST /v1/cases stores them (no track: the search reads Postgres only). */
const seeded: { caseId: string; corporationId: string; contractRef: string }[] = [];

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
  await ensureTestCorporation(api.database.db, { corporationId: otherCorporation });
  await api.grant(otherCorporation);
  for (let i = 0; i < 7; i++) {
    const request = caseRequest({ corporationId: i < 5 ? 'test-corp' : otherCorporation, contractRef: `SRCH-${i}`, claims: [rentClaim('R-1', '100.00', addDays(today, -10))] });
    const { caseId } = await seedCase(api.database.db, request);
    seeded.push({ caseId, corporationId: request.corporationId, contractRef: request.contractRef });
  }
});
afterAll(async () => {
  await api?.close();
});

const search = (query: string, key = api.keys.billing) => api.call('GET', `/v1/cases?${query}`, { key });

async function allPages(query: string, limit: number, key = api.keys.operator): Promise<{ pages: number; cases: Found[] }> {
  const cases: Found[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await search(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, key);
    expect(page.status).toBe(200);
    expect(page.body.cases.length).toBeLessThanOrEqual(limit);
    cases.push(...page.body.cases);
    cursor = page.body.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { pages, cases };
}

describe('GET /v1/cases: finding cases by contract and stage, from Postgres', () => {
  it('finds the case of a contract reference', async () => {
    const wanted = seeded[3]!;
    const found = await search(`corporationId=test-corp&contractRef=${wanted.contractRef}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      cases: [
        {
          caseId: wanted.caseId,
          corporationId: 'test-corp',
          contractRef: wanted.contractRef,
          workflowId: `track/test-corp/${wanted.contractRef}`,
          stage: null,
          closedReason: null,
          bailiffOfficeId: null,
          handedOverOn: null,
          createdAt: expect.any(String),
        },
      ],
      nextCursor: null,
    });
    // The same reference at another corporation is another contract.
    expect((await search(`corporationId=${otherCorporation}&contractRef=${wanted.contractRef}`)).body.cases).toEqual([]);
  });

  it('finds a case opened through POST /v1/cases', async () => {
    const request = caseRequest({ claims: [rentClaim('R-1', '100.00', addDays(today, -3))] });
    const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: request });
    expect(created.status).toBe(201);
    const found = await search(`corporationId=test-corp&contractRef=${request.contractRef}`, api.keys.approver);
    expect(found.body.cases.map((c: Found) => [c.caseId, c.workflowId])).toEqual([[created.body.caseId, created.body.workflowId]]);
  });

  it('pages through a corporation in a stable order, each case once', async () => {
    // Cases made in one microsecond (and one a microsecond later) still come once each, by id.
    const sameInstant = seeded.slice(0, 3).map((c) => c.caseId);
    await api.database.db.updateTable('collection_case').set({ created_at: sql`'2026-01-01 10:00:00.123456+00'` } as never).where('case_id', 'in', sameInstant).execute();
    await api.database.db.updateTable('collection_case').set({ created_at: sql`'2026-01-01 10:00:00.123457+00'` } as never).where('case_id', '=', seeded[3]!.caseId).execute();
    const oneByOne = (await allPages('corporationId=test-corp', 1)).cases.map((c) => c.caseId);
    expect(oneByOne.slice(0, 4)).toEqual([...[...sameInstant].sort(), seeded[3]!.caseId]);

    const ofCorporation = (await allPages('corporationId=test-corp', 200)).cases.map((c) => c.caseId);
    const { pages, cases } = await allPages('corporationId=test-corp', 2);
    expect(cases.map((c) => c.caseId)).toEqual(ofCorporation);
    expect(new Set(ofCorporation).size).toBe(ofCorporation.length);
    expect(pages).toBe(Math.ceil(ofCorporation.length / 2));
    expect(oneByOne).toEqual(ofCorporation);
    for (const s of seeded.filter((c) => c.corporationId === 'test-corp')) expect(ofCorporation).toContain(s.caseId);
    expect(cases.every((c) => c.corporationId === 'test-corp')).toBe(true);
    const everything = (await allPages('', 3)).cases.map((c) => c.caseId);
    for (const s of seeded) expect(everything).toContain(s.caseId);
    expect((await search('limit=1')).body.nextCursor).toEqual(expect.any(String));
  });

  it('filters on the stage the tracks write with their events', async () => {
    const events = createCaseEventActivities(api.database.db);
    const [inWik, closed] = [seeded[0]!, seeded[1]!];
    await events.recordCaseEvents({ caseId: inWik.caseId, corporationId: inWik.corporationId, events: [], stage: 'wik_letter' });
    await events.recordCaseEvents({
      caseId: closed.caseId,
      corporationId: closed.corporationId,
      events: [{ key: `${closed.caseId}/closed`, kind: 'closed_paid', occurredOn: today, amount: '100.00' }],
      stage: 'closed',
      closedReason: 'paid',
    });
    // A write without a stage (a track of before) leaves the stage as it was.
    await events.recordCaseEvents({ caseId: inWik.caseId, corporationId: inWik.corporationId, events: [] });

    const wik = await search('stage=wik_letter', api.keys.operator);
    expect(wik.body.cases.map((c: Found) => [c.caseId, c.stage])).toEqual([[inWik.caseId, 'wik_letter']]);
    const closedCases = await search('corporationId=test-corp&stage=closed', api.keys.admin);
    expect(closedCases.body.cases.map((c: Found) => [c.caseId, c.stage, c.closedReason])).toEqual([[closed.caseId, 'closed', 'paid']]);
    expect((await search(`corporationId=${otherCorporation}&stage=wik_letter`)).body.cases).toEqual([]);
  });

  it('shows a bailiff office only the cases handed to it', async () => {
    const handed = seeded[4]!;
    await api.database.db.updateTable('collection_case').set({ bailiff_office_id: 'gdw-test', handed_over_on: today }).where('case_id', '=', handed.caseId).execute();
    const mine = await search('corporationId=test-corp', api.keys.bailiff);
    expect(mine.status).toBe(200);
    expect(mine.body.cases.map((c: Found) => c.caseId)).toEqual([handed.caseId]);
    expect(mine.body.cases[0]).toMatchObject({ bailiffOfficeId: 'gdw-test', handedOverOn: today });
    expect((await search('', api.keys.otherBailiff)).body.cases).toEqual([]);
    expect((await search(`contractRef=${seeded[0]!.contractRef}`, api.keys.bailiff)).body.cases).toEqual([]);
  });

  it('answers bad queries with 400 and a missing key with 401', async () => {
    for (const query of ['limit=0', 'limit=201', 'limit=ten', 'cursor=nonsense', 'cursor=WyJ4Il0', 'stage=sleeping', 'corporationId=%20bad', 'contractRef=a%2Fb', 'contractRef=%00']) {
      const bad = await search(query);
      expect(bad.status, query).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
    }
    // A cursor built from a timestamp far outside the table's range is refused, not sent to Postgres.
    const forged = Buffer.from(JSON.stringify(['99999999999999999999', seeded[0]!.caseId])).toString('base64url');
    expect((await search(`cursor=${forged}`)).status).toBe(400);
    expect((await api.call('GET', '/v1/cases', { key: null })).status).toBe(401);
  });

  it('is in the OpenAPI document', async () => {
    const openapi = await api.call('GET', '/v1/openapi.json', { key: null });
    expect(openapi.body.paths['/v1/cases'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['corporationId', 'contractRef', 'stage', 'limit', 'cursor']);
    expect(openapi.body.paths['/v1/cases/{caseId}/debtor'].put).toBeDefined();
  });
});
