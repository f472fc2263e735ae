import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCollectionPolicyActivities } from '../../activities/collection-policy.js';
import { personActor } from '../../infra/db/api-key-store.js';
import { defaultCollectionPolicy, type CollectionPolicy } from '../../shared/policy/collection-policy.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';

let api: ApiHarness;
let counter = 0;

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
});
afterAll(async () => {
  await api?.close();
});

/** A corporation of the test's own, created over the API, with no policy stored. */
async function newCorporation(): Promise<string> {
  const corporationId = `policy-corp-${++counter}`;
  const created = await api.call('PUT', `/v1/corporations/${corporationId}`, { body: { name: `Corporatie ${counter}` } });
  expect(created.status).toBe(200);
  await api.grant(corporationId);
  return corporationId;
}

/** The default policy with another gap before the 14-day letter: a real change, still valid. */
const withWikGap = (days: number): CollectionPolicy => ({
  ...defaultCollectionPolicy,
  defaultSegment: { ...defaultCollectionPolicy.defaultSegment, wikLetterAfterLastReminderDays: days },
});

const policyPath = (corporationId: string) => `/v1/corporations/${corporationId}/policy`;
const storedRows = async (corporationId: string) =>
  api.database.db.selectFrom('collection_policy').select(['version', 'policy', 'created_by']).where('corporation_id', '=', corporationId).orderBy('version').execute();
const adminActor = () => personActor('test platform admin');

describe('collection policy API (versioned in Postgres)', () => {
  it('answers version 0 with the built-in default while nothing is stored', async () => {
    const corporationId = await newCorporation();
    const latest = await api.call('GET', policyPath(corporationId), { key: api.keys.operator });
    expect(latest).toEqual({ status: 200, body: { corporationId, version: 0, policy: defaultCollectionPolicy, createdAt: null, createdBy: null } });
    const zero = await api.call('GET', `${policyPath(corporationId)}/versions/0`, { key: api.keys.approver });
    expect(zero).toEqual(latest);
    expect((await api.call('GET', `${policyPath(corporationId)}/versions/1`, { key: api.keys.admin })).status).toBe(404);
  });

  it('stores a new version per change, answers an unchanged PUT with 200 and keeps every version readable', async () => {
    const corporationId = await newCorporation();
    const first = await api.call('PUT', policyPath(corporationId), { body: withWikGap(14) });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ corporationId, version: 1, policy: withWikGap(14), createdBy: adminActor() });
    expect(Date.parse(first.body.createdAt)).not.toBeNaN();

    const again = await api.call('PUT', policyPath(corporationId), { body: withWikGap(14) });
    expect(again).toEqual({ status: 200, body: first.body });

    // The same policy with its keys in another order and a defaulted field left out is the same policy.
    const { segments: _omitted, ...withoutSegments } = withWikGap(14);
    const reordered = Object.fromEntries(Object.entries(withoutSegments).reverse());
    expect(await api.call('PUT', policyPath(corporationId), { body: reordered })).toEqual({ status: 200, body: first.body });

    const second = await api.call('PUT', policyPath(corporationId), { body: withWikGap(21) });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ corporationId, version: 2, policy: withWikGap(21) });

    expect(await api.call('GET', policyPath(corporationId), { key: api.keys.operator })).toEqual({ status: 200, body: second.body });
    expect(await api.call('GET', `${policyPath(corporationId)}/versions/1`, { key: api.keys.operator })).toEqual({ status: 200, body: first.body });
    expect(await api.call('GET', `${policyPath(corporationId)}/versions/2`, { key: api.keys.approver })).toEqual({ status: 200, body: second.body });
    expect((await api.call('GET', `${policyPath(corporationId)}/versions/3`, { key: api.keys.operator })).status).toBe(404);

    // Going back is a change too: only the latest version counts for "unchanged".
    const back = await api.call('PUT', policyPath(corporationId), { body: withWikGap(14) });
    expect(back.status).toBe(201);
    expect(back.body.version).toBe(3);
    expect((await storedRows(corporationId)).map((row) => [row.version, row.created_by])).toEqual([
      [1, adminActor()],
      [2, adminActor()],
      [3, adminActor()],
    ]);
  });

  it('answers an invalid policy with 400 and zod details, and stores nothing', async () => {
    const corporationId = await newCorporation();
    const decreasing = await api.call('PUT', policyPath(corporationId), {
      body: {
        ...defaultCollectionPolicy,
        defaultSegment: { ...defaultCollectionPolicy.defaultSegment, reminders: [{ afterDefaultDays: 12, channel: 'post' }, { afterDefaultDays: 5, channel: 'email' }] },
      },
    });
    expect(decreasing.status).toBe(400);
    expect(decreasing.body.error.code).toBe('invalid_request');
    expect(decreasing.body.error.details).toContainEqual(expect.objectContaining({ path: ['defaultSegment', 'reminders'], message: 'reminder days must increase' }));

    const floatAmount = await api.call('PUT', policyPath(corporationId), { body: { ...defaultCollectionPolicy, arrangement: { ...defaultCollectionPolicy.arrangement, minInstalment: 25.5 } } });
    expect(floatAmount.status).toBe(400);
    expect(floatAmount.body.error.details[0].path).toEqual(['arrangement', 'minInstalment']);

    const fractionalDays = await api.call('PUT', policyPath(corporationId), { body: withWikGap(14.5) });
    expect(fractionalDays.status).toBe(400);
    const unknownField = await api.call('PUT', policyPath(corporationId), { body: { ...defaultCollectionPolicy, surprise: true } });
    expect(unknownField.status).toBe(400);
    const unknownSegment = await api.call('PUT', policyPath(corporationId), { body: { ...defaultCollectionPolicy, segments: { nobody: defaultCollectionPolicy.defaultSegment } } });
    expect(unknownSegment.status).toBe(400);
    const badMunicipality = await api.call('PUT', policyPath(corporationId), {
      body: { ...defaultCollectionPolicy, earlyWarning: { default: defaultCollectionPolicy.earlyWarning.default, municipalities: { Amsterdam: { afterDefaultDays: 30, minimumArrears: '0.01' } } } },
    });
    expect(badMunicipality.status).toBe(400);
    const malformed = await api.call('PUT', policyPath(corporationId), { body: '{"defaultSegment":' });
    expect(malformed.status).toBe(400);
    expect((await api.call('PUT', policyPath(corporationId), { body: [] })).status).toBe(400);

    expect(await storedRows(corporationId)).toEqual([]);
    expect((await api.call('GET', policyPath(corporationId), { key: api.keys.operator })).body.version).toBe(0);
    expect((await api.call('GET', `${policyPath(corporationId)}/versions/first`, { key: api.keys.operator })).status).toBe(400);
    expect((await api.call('GET', `${policyPath(corporationId)}/versions/-1`, { key: api.keys.operator })).status).toBe(400);
  });

  it('lets only the admin store a policy, and every role but billing and bailiff read it', async () => {
    const corporationId = await newCorporation();
    const operatorPut = await api.call('PUT', policyPath(corporationId), { key: api.keys.operator, body: withWikGap(14) });
    expect(operatorPut.status).toBe(403);
    expect(operatorPut.body.error.code).toBe('forbidden');
    expect((await api.call('PUT', policyPath(corporationId), { key: api.keys.approver, body: withWikGap(14) })).status).toBe(403);
    expect((await api.call('PUT', policyPath(corporationId), { key: null, body: withWikGap(14) })).status).toBe(401);
    expect((await api.call('PUT', policyPath(corporationId), { key: 'hi_admin_nonsense', body: withWikGap(14) })).status).toBe(401);
    expect(await storedRows(corporationId)).toEqual([]);

    expect((await api.call('GET', policyPath(corporationId), { key: null })).status).toBe(401);
    expect((await api.call('GET', policyPath(corporationId), { key: api.keys.billing })).status).toBe(403);
    expect((await api.call('GET', policyPath(corporationId), { key: api.keys.bailiff })).status).toBe(403);
    expect((await api.call('GET', `${policyPath(corporationId)}/versions/0`, { key: api.keys.billing })).status).toBe(403);
    for (const key of [api.keys.operator, api.keys.approver, api.keys.admin]) {
      expect((await api.call('GET', policyPath(corporationId), { key })).status).toBe(200);
    }
  });

  it('answers 404 for a corporation it does not know, and stores nothing', async () => {
    const put = await api.call('PUT', policyPath('no-such-corp'), { body: withWikGap(14) });
    expect(put.status).toBe(404);
    expect(put.body.error.code).toBe('not_found');
    expect((await api.call('GET', policyPath('no-such-corp'), { key: api.keys.operator })).status).toBe(404);
    expect((await api.call('GET', `${policyPath('no-such-corp')}/versions/0`, { key: api.keys.operator })).status).toBe(404);
    expect((await api.call('GET', `${policyPath('no-such-corp')}/versions/1`, { key: api.keys.operator })).status).toBe(404);
    expect(await storedRows('no-such-corp')).toEqual([]);
  });

  it('gives two concurrent different PUTs consecutive versions, without a lost write or a 500', async () => {
    const corporationId = await newCorporation();
    const [a, b] = await Promise.all([
      api.call('PUT', policyPath(corporationId), { body: withWikGap(10) }),
      api.call('PUT', policyPath(corporationId), { body: withWikGap(20) }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.body.version, b.body.version].sort()).toEqual([1, 2]);
    const rows = await storedRows(corporationId);
    expect(rows.map((row) => row.version)).toEqual([1, 2]);
    expect(rows.map((row) => (row.policy as CollectionPolicy).defaultSegment.wikLetterAfterLastReminderDays).sort()).toEqual([10, 20]);
    const latest = await api.call('GET', policyPath(corporationId), { key: api.keys.operator });
    expect(latest.body).toEqual(a.body.version === 2 ? a.body : b.body);

    // A burst: every distinct policy gets a version of its own, the same one sent twice only one.
    const burst = await Promise.all([30, 31, 32, 33, 34, 34].map((days) => api.call('PUT', policyPath(corporationId), { body: withWikGap(days) })));
    expect(burst.every((response) => response.status === 200 || response.status === 201)).toBe(true);
    const versions = (await storedRows(corporationId)).map((row) => row.version);
    // Five changes, and the second 34 again only when another policy came between the two.
    expect(versions.length).toBeGreaterThanOrEqual(7);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it('serves the three routes in its OpenAPI document', async () => {
    const openapi = await api.call('GET', '/v1/openapi.json', { key: null });
    expect(openapi.body.paths['/v1/corporations/{corporationId}/policy']).toHaveProperty('put');
    expect(openapi.body.paths['/v1/corporations/{corporationId}/policy']).toHaveProperty('get');
    expect(openapi.body.paths['/v1/corporations/{corporationId}/policy/versions/{version}']).toHaveProperty('get');
  });
});

describe('loadCollectionPolicy (activity, against the test database)', () => {
  it('loads the latest version, or version 0 with the built-in default', async () => {
    const { loadCollectionPolicy } = createCollectionPolicyActivities(api.database.db);
    const corporationId = await newCorporation();
    expect(await loadCollectionPolicy(corporationId)).toEqual({ corporationId, version: 0, policy: defaultCollectionPolicy });

    await api.call('PUT', policyPath(corporationId), { body: withWikGap(10) });
    await api.call('PUT', policyPath(corporationId), { body: withWikGap(20) });
    expect(await loadCollectionPolicy(corporationId)).toEqual({ corporationId, version: 2, policy: withWikGap(20) });
  });

  it('fails loudly on a stored row that does not fit the schema', async () => {
    const { loadCollectionPolicy } = createCollectionPolicyActivities(api.database.db);
    const corporationId = await newCorporation();
    await api.call('PUT', policyPath(corporationId), { body: withWikGap(10) });
    const broken = { ...withWikGap(10), arrangement: { ...defaultCollectionPolicy.arrangement, minInstalment: 25 } };
    await sql`insert into collection_policy (corporation_id, version, policy, created_by) values (${corporationId}, 2, ${JSON.stringify(broken)}::jsonb, 'test')`.execute(api.database.db);
    await expect(loadCollectionPolicy(corporationId)).rejects.toThrow(/minInstalment/);
  });

  it('keeps the version in the table: a version below 1 or a duplicate is refused by Postgres', async () => {
    const corporationId = await newCorporation();
    const insert = (version: number) =>
      sql`insert into collection_policy (corporation_id, version, policy, created_by) values (${corporationId}, ${version}, ${JSON.stringify(defaultCollectionPolicy)}::jsonb, 'test')`.execute(api.database.db);
    await expect(insert(0)).rejects.toThrow();
    await insert(1);
    await expect(insert(1)).rejects.toThrow(/collection_policy_pk|duplicate key/);
    await expect(
      sql`insert into collection_policy (corporation_id, version, policy, created_by) values ('no-such-corp', 1, '{}'::jsonb, 'test')`.execute(api.database.db),
    ).rejects.toThrow(/foreign key/);
  });
});
