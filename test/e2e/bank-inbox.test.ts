import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeBetalingskenmerk } from '../../shared/bank/betalingskenmerk.js';
import { makeRfReference } from '../../shared/bank/rf-reference.js';
import { amsterdamDate } from '../../shared/calendar/amsterdam-clock.js';
import { addDays } from '../../shared/calendar/iso-date.js';
import { BankInbox } from '../../services/bank/inbox/bank-inbox.js';
import { TrackClient } from '../../services/track-client/track-client.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { camtXml } from '../support/camt-files.js';
import { eventually } from '../support/eventually.js';
import { caseRequest, rentClaim } from '../support/tracks.js';
import { projectRoot } from '../../infra/paths.js';
import { testPayloadKeyEntry } from '../support/payload-keys.js';
import { freePort } from '../support/ports.js';

/**
 * Issue 12: the bank's drop folder. Real files written into a real folder, imported by the same
 * import as an upload (same matching, same dedup), moved to processed/ or failed/ with a reason.
 */
let api: ApiHarness;
let root: string;
let inbox: BankInbox;
const today = amsterdamDate(Date.now());
const run = `${process.pid}${Date.now()}`.slice(-14).padStart(14, '0');
const kenmerk = (n: number) => makeBetalingskenmerk(`8${run.slice(0, 13)}${n}`);
const folder = () => join(root, 'test-corp');
const filesOf = async (sub = '') => (await readdir(join(folder(), sub)).catch(() => [])).sort();
/** Back-dates a file, as if the channel finished writing it a while ago. */
const settled = (path: string) => utimes(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
const read = async (caseId: string) => (await api.call('GET', `/v1/cases/${caseId}`, { key: api.keys.operator })).body;
const bankState = async () => ({
  imports: (await api.database.db.selectFrom('bank_import').select('import_id').execute()).length,
  entries: await api.database.db.selectFrom('bank_entry').select(['entry_id', 'fate', 'transaction_id']).orderBy('entry_id').execute(),
  payments: await api.database.db.selectFrom('payment').select(['transaction_id', 'reversed_on']).orderBy('transaction_id').execute(),
});

async function openCase(reference: string) {
  const created = await api.call('POST', '/v1/cases', { key: api.keys.billing, body: caseRequest({ claims: [rentClaim('R-1', '500.00', addDays(today, -10))] }) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const caseId = created.body.caseId as string;
  await api.database.db.insertInto('payment_reference').values({ case_id: caseId, reference }).onConflict((oc) => oc.column('case_id').doUpdateSet({ reference })).execute();
  return caseId;
}

beforeAll(async () => {
  api = await startApi({ databaseAdminUrl: inject('databaseAdminUrl'), temporal: { address: inject('temporalDevAddress') } });
  root = await mkdtemp(join(tmpdir(), 'bank-inbox-'));
  await mkdir(folder());
  // Updates reach a track by its workflow id; the task queue is only for starting one.
  inbox = new BankInbox({ db: api.database.db, tracks: new TrackClient(api.client, 'bank-inbox-test', async () => today), root, quietMs: 1_000, intervalMs: 200 });
});
afterAll(async () => {
  await inbox?.stop();
  await api?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the bank drop folder', () => {
  let byKenmerk: string;
  let byRf: string;
  const refA = kenmerk(1);
  const refB = kenmerk(2);
  const statement = () =>
    camtXml({
      messageId: `IN-${run}`,
      entries: [
        { amount: '100.00', bookingDate: today, ref: `${run}-1`, txs: [{ kenmerk: refA, issuer: 'CUR' }] },
        // A payer whose bank knows only ISO 11649 wraps our betalingskenmerk in RF.
        { amount: '60.00', bookingDate: today, ref: `${run}-2`, txs: [{ kenmerk: makeRfReference(refB), issuer: 'ISO' }] },
        { amount: '25.00', bookingDate: today, ref: `${run}-3`, txs: [{ ustrd: ['gift'] }] },
      ],
    });

  beforeAll(async () => {
    byKenmerk = await openCase(refA);
    byRf = await openCase(refB);
  });

  it('reads nothing while a file is still being written: not under its .part name, not while it keeps changing', async () => {
    const before = await bankState();
    const part = join(folder(), 'stmt-1.xml.part');
    const xml = statement();
    await writeFile(part, xml.slice(0, xml.length / 2));
    await settled(part);
    // Written in place, just now: not yet quiet.
    await writeFile(join(folder(), 'in-place.xml'), xml.slice(0, 200));
    expect(await inbox.scanOnce()).toEqual([]);
    expect(await filesOf()).toEqual(['in-place.xml', 'stmt-1.xml.part']);
    expect(await bankState()).toEqual(before);
    await rm(join(folder(), 'in-place.xml'));
  });

  it('imports a whole file once, matched as an upload is (betalingskenmerk, RF), and moves it to processed/', async () => {
    const part = join(folder(), 'stmt-1.xml.part');
    await writeFile(part, statement());
    await rename(part, join(folder(), 'stmt-1.xml'));
    await settled(join(folder(), 'stmt-1.xml'));
    const [outcome, ...rest] = await inbox.scanOnce();
    expect(rest).toEqual([]);
    expect(outcome).toMatchObject({ file: 'stmt-1.xml', outcome: 'processed', answer: { format: 'camt.053.001.02', entries: 3, new: 3, matched: 2, unmatched: 1, duplicates: 0 } });
    expect(await filesOf()).toEqual(['processed', 'processing']);
    expect(await filesOf('processed')).toEqual(['stmt-1.xml', 'stmt-1.xml.import.json']);
    expect(JSON.parse(await readFile(join(folder(), 'processed', 'stmt-1.xml.import.json'), 'utf8'))).toMatchObject({ importId: expect.any(String), matched: 2 });
    expect((await read(byKenmerk)).payments).toMatchObject([{ amount: '100.00', bookedOn: today }]);
    expect((await read(byRf)).payments).toMatchObject([{ amount: '60.00', bookedOn: today }]);
    const rules = await api.database.db.selectFrom('bank_entry').select(['case_id', 'match_rule']).where('fate', '=', 'matched').orderBy('amount').execute();
    expect(rules).toEqual([
      { case_id: byRf, match_rule: 'structured_reference' },
      { case_id: byKenmerk, match_rule: 'structured_reference' },
    ]);
    // Nothing left to take.
    expect(await inbox.scanOnce()).toEqual([]);
  });

  it('the same file delivered again changes nothing: every line a duplicate, kept beside the first', async () => {
    const before = await bankState();
    await writeFile(join(folder(), 'stmt-1.xml'), statement());
    await settled(join(folder(), 'stmt-1.xml'));
    expect(await inbox.scanOnce()).toMatchObject([{ file: 'stmt-1.xml.2', outcome: 'processed', answer: { new: 0, duplicates: 3, matched: 0 } }]);
    const after = await bankState();
    expect(after.imports).toBe(before.imports + 1);
    expect({ entries: after.entries, payments: after.payments }).toEqual({ entries: before.entries, payments: before.payments });
    expect(await filesOf('processed')).toEqual(['stmt-1.xml', 'stmt-1.xml.2', 'stmt-1.xml.2.import.json', 'stmt-1.xml.import.json']);
  });

  it('moves a broken file, a file of another kind and a file for an unknown corporation to failed/ with the reason, storing nothing', async () => {
    const before = await bankState();
    const broken = statement().replace('<Amt Ccy="EUR">25.00</Amt>', '<Amt Ccy="EUR">25.00</Amount>');
    await writeFile(join(folder(), 'broken.xml'), broken);
    await writeFile(join(folder(), 'order.xml'), '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>');
    await writeFile(join(folder(), 'latin1.xml'), Buffer.from([0x3c, 0x61, 0xe9, 0x3e]));
    await mkdir(join(root, 'no-such-corp'));
    await writeFile(join(root, 'no-such-corp', 'stmt.xml'), statement());
    for (const path of [join(folder(), 'broken.xml'), join(folder(), 'order.xml'), join(folder(), 'latin1.xml'), join(root, 'no-such-corp', 'stmt.xml')]) await settled(path);

    const outcomes = await inbox.scanOnce();
    expect(outcomes.map((o) => [o.corporationId, o.file, o.outcome])).toEqual([
      ['no-such-corp', 'stmt.xml', 'failed'],
      ['test-corp', 'broken.xml', 'failed'],
      ['test-corp', 'latin1.xml', 'failed'],
      ['test-corp', 'order.xml', 'failed'],
    ]);
    const reason = (corp: string, name: string) => readFile(join(root, corp, 'failed', `${name}.reason.txt`), 'utf8');
    expect(await reason('test-corp', 'broken.xml')).toMatch(/^400 invalid_statement: .*line \d+[\s\S]*"element":"Amt"/);
    expect(await reason('test-corp', 'order.xml')).toMatch(/^415 unsupported_statement: .*pain\.001\.001\.03/);
    expect(await reason('test-corp', 'latin1.xml')).toMatch(/not UTF-8/);
    expect(await reason('no-such-corp', 'stmt.xml')).toMatch(/no corporation no-such-corp/);
    expect(await filesOf('failed')).toEqual(['broken.xml', 'broken.xml.reason.txt', 'latin1.xml', 'latin1.xml.reason.txt', 'order.xml', 'order.xml.reason.txt']);
    expect(await bankState()).toEqual(before);
  });

  it('a returned transfer dropped later reopens what it paid, and counts as a reversal in the KPIs', async () => {
    const kpis = async () => (await api.call('GET', `/v1/kpis?corporationId=test-corp&from=${addDays(today, -1)}&to=${today}`, { key: api.keys.operator })).body;
    expect((await kpis()).reversals).toBe(0);
    const owed = (await read(byKenmerk)).balance.outstanding as string;
    await writeFile(
      join(folder(), 'stmt-return.xml'),
      camtXml({ messageId: `RET-${run}`, entries: [{ amount: '100.00', direction: 'DBIT', reversal: true, bookingDate: today, ref: `${run}-R`, code: ['PMNT', 'RCDT', 'RRTN'], txs: [{ kenmerk: refA, returnReason: 'AC04' }] }] }),
    );
    await settled(join(folder(), 'stmt-return.xml'));
    expect(await inbox.scanOnce()).toMatchObject([{ outcome: 'processed', answer: { new: 1, reversals: 1 } }]);
    const reopened = await read(byKenmerk);
    expect(reopened.payments).toMatchObject([{ amount: '100.00', reversedOn: today }]);
    expect(Number(reopened.balance.outstanding)).toBeCloseTo(Number(owed) + 100, 2);
    // The track writes its read model when it settles: the KPI follows.
    expect((await eventually(kpis, (k) => k.reversals === 1)).reversals).toBe(1);
  });

  it('puts a file back while the engine is away, gives up after its tries, and the same file later books what was left pending', async () => {
    const refD = kenmerk(4);
    const fourth = await openCase(refD);
    // A real client whose connection is gone: every booking fails as with the engine away.
    const gone = await Connection.connect({ address: inject('temporalDevAddress') });
    await gone.close();
    const away = new BankInbox({ db: api.database.db, tracks: new TrackClient(new Client({ connection: gone }), 'bank-inbox-test', async () => today), root, quietMs: 0, maxAttempts: 2 });
    await writeFile(join(folder(), 'stmt-3.xml'), camtXml({ messageId: `IN3-${run}`, entries: [{ amount: '33.00', bookingDate: today, ref: `${run}-5`, txs: [{ kenmerk: refD }] }] }));
    expect(await away.scanOnce()).toMatchObject([{ file: 'stmt-3.xml', outcome: 'retry' }]);
    expect(await filesOf()).toContain('stmt-3.xml');
    expect(await away.scanOnce()).toMatchObject([{ file: 'stmt-3.xml', outcome: 'failed', reason: expect.stringMatching(/^gave up after 2 tries/) }]);
    expect((await read(fourth)).payments).toEqual([]);
    expect(await api.database.db.selectFrom('bank_entry').select('fate').where('structured_ref', '=', refD).execute()).toEqual([{ fate: 'pending' }]);

    // An operator puts it back once the engine is there: the line left pending is booked, once.
    await rename(join(folder(), 'failed', 'stmt-3.xml'), join(folder(), 'stmt-3.xml'));
    await settled(join(folder(), 'stmt-3.xml'));
    expect(await inbox.scanOnce()).toMatchObject([{ outcome: 'processed', answer: { new: 1, matched: 1, duplicates: 0 } }]);
    expect((await read(fourth)).payments).toMatchObject([{ amount: '33.00' }]);
  });

  it('running, it picks up a file the channel renames into place, and a stopped watcher leaves nothing half done', async () => {
    await inbox.start();
    const refC = kenmerk(3);
    const third = await openCase(refC);
    const part = join(folder(), '.stmt-2.xml');
    await writeFile(part, camtXml({ messageId: `IN2-${run}`, entries: [{ amount: '42.00', bookingDate: today, ref: `${run}-4`, txs: [{ ustrd: [`huur ${makeRfReference(refC).replace(/(.{4})(?=.)/g, '$1 ')}`] }] }] }));
    await settled(part);
    await rename(part, join(folder(), 'stmt-2.xml'));
    const processed = await eventually(() => filesOf('processed'), (files) => files.includes('stmt-2.xml.import.json'), 20_000);
    expect(processed).toContain('stmt-2.xml');
    expect((await read(third)).payments).toMatchObject([{ amount: '42.00' }]);
    await inbox.stop();
    expect(await filesOf('processing')).toEqual([]);
  });

  it('as its own process (npm start, compose): JSON log lines without personal data, and its files and lines counted at /metrics', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bank-inbox-process-'));
    const drop = join(dataDir, 'inbox', 'bank', 'test-corp');
    await mkdir(drop, { recursive: true });
    const metricsPort = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/bank/inbox/main.ts'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        DATABASE_URL: api.database.url,
        TEMPORAL_ADDRESS: inject('temporalDevAddress'),
        PAYLOAD_KEYS: testPayloadKeyEntry,
        HUURINCASSO_DATA_DIR: dataDir,
        BANK_INBOX_METRICS_PORT: String(metricsPort),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const lines = async () => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { level: string; process: string; msg: string; metrics?: string });
      const started = (await eventually(lines, (l) => l.some((line) => /bank inbox watching/.test(line.msg)), 150_000)).find((line) => /bank inbox watching/.test(line.msg));
      expect(started?.metrics, `the bank inbox did not start:\n${stdout}\n${stderr}`).toBe(`http://127.0.0.1:${metricsPort}/metrics`);

      const refE = kenmerk(5);
      const fifth = await openCase(refE);
      // Banks name their files after the account: a tenant's IBAN in a name must not reach the log.
      const tenantIban = 'NL02ABNA0123456789';
      const good = join(drop, `stmt-${tenantIban}-1.xml`);
      const broken = join(drop, `stmt-${tenantIban}-2.xml`);
      await writeFile(good, camtXml({ messageId: `IN5-${run}`, entries: [{ amount: '12.00', bookingDate: today, ref: `${run}-6`, txs: [{ kenmerk: refE }] }] }));
      await writeFile(broken, camtXml({ messageId: `IN6-${run}`, entries: [{ amount: '1.00', bookingDate: today, ref: `${run}-7` }] }).replace('</Amt>', ''));
      await Promise.all([settled(good), settled(broken)]);
      await eventually(async () => [...(await readdir(join(drop, 'processed')).catch(() => [])), ...(await readdir(join(drop, 'failed')).catch(() => []))], (files) => files.length === 4, 60_000);
      expect((await read(fifth)).payments).toMatchObject([{ amount: '12.00' }]);

      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toContain('huurincasso_bank_inbox_files_total{outcome="processed"} 1');
      expect(metrics).toContain('huurincasso_bank_inbox_files_total{outcome="failed"} 1');
      expect(metrics).toContain('huurincasso_bank_entries_total{fate="matched",source="import"} 1');

      const logged = await eventually(lines, (l) => l.filter((line) => line.msg.includes('stmt-')).length >= 2);
      expect(logged.every((line) => line.process === 'bank inbox')).toBe(true);
      expect(logged.find((line) => /: import .*1 matched/.test(line.msg))?.level).toBe('info');
      expect(logged.find((line) => /: failed: 400 invalid_statement/.test(line.msg))?.level).toBe('warn');
      expect(stdout).not.toContain(tenantIban);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    }
    // A process of its own starts slowly on a loaded machine (it loads its modules through tsx).
  }, 300_000);
});
