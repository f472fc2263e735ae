import { addDays, addMonths, compareIsoDates, daysBetween } from '../../shared/calendar/iso-date.js';
import { collectionDateOf, type CollectionSchedule } from '../../shared/direct-debit/collection-calendar.js';
import { debitEndToEndId } from '../../shared/direct-debit/direct-debit-ids.js';
import { formatMoney, money } from '../../shared/money.js';
import type { CollectionPolicy } from '../../shared/policy/collection-policy.js';
import { camtXml, ourAccount, type CamtEntry } from '../harness/camt-files.js';
import type { Tenancy } from './portfolio.js';
import type { SimulationStack } from './simulation-stack.js';

export interface YearOptions {
  readonly corporationId: string;
  readonly policy: CollectionPolicy;
  readonly tenancies: readonly Tenancy[];
  /** Days between the moments the clock stops for the outside world (bank files, payments, people). */
  readonly stepDays: number;
  /** Requests in flight at once at a stop. */
  readonly concurrency: number;
  readonly log?: (line: string) => void;
}

export interface YearResult {
  readonly from: string;
  readonly to: string;
  readonly kpis: Record<string, any>;
  /** Wall time of the simulated year, from the first set-up call to the KPI answer. */
  readonly wallMs: number;
  /** Calls made per kind, and calls refused (status, code) — a refusal is a finding, not a crash. */
  readonly calls: Record<string, number>;
  readonly refusals: Record<string, number>;
  /** Tenancies whose story did not end within the year, by behaviour and the stage they stand in. */
  readonly unfinished: Record<string, number>;
  readonly tracks: number;
  readonly letters: number;
}

const bailiffOffice = 'gdw-portfolio';
const schedule: CollectionSchedule = { collectionDay: 1, collectionDayShift: 'later', prenoticeDays: 14, runsPerMonth: 2, runIntervalDays: 7 };

type Phase = 'report' | 'after_letter' | 'propose' | 'instalments' | 'await_breach' | 'bailiff' | 'debit_back' | 'find_case' | 'done';

interface Agent {
  readonly t: Tenancy;
  phase: Phase;
  /** The first stop on or after this date acts on it. */
  next: string;
  caseId?: string;
  /** The letter the tenant reacts to, and how many days after it. */
  awaits?: { kind: 'reminder' | 'wik'; days: number };
  instalments?: { dueDate: string; amount: string }[];
  paidInstalments?: number;
  payments: number;
  failures: number;
  bailiff: { servedOn?: string; judged?: boolean; evictionDate?: string; collected?: boolean };
}

/** The portfolio through a year of the product in simulation, as its outside world would drive it over HTTP. */
export async function runPortfolioYear(stack: SimulationStack, options: YearOptions): Promise<YearResult> {
  const started = performance.now();
  const { corporationId, tenancies, stepDays } = options;
  const log = options.log ?? (() => {});
  const calls: Record<string, number> = {};
  const refusals: Record<string, number> = {};

  await stack.db.insertInto('bailiff_office').values({ office_id: bailiffOffice, name: 'GDW Portefeuille' }).onConflict((oc) => oc.doNothing()).execute();
  const keys = {
    admin: await stack.key('admin', []),
    billing: await stack.key('billing', [corporationId]),
    operator: await stack.key('operator', [corporationId]),
    approver: await stack.key('approver', [corporationId]),
    bailiff: await stack.key('bailiff', [], bailiffOffice),
  };

  async function call(name: string, key: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any }> {
    calls[name] = (calls[name] ?? 0) + 1;
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
    if (response.status >= 400) {
      const label = `${name} ${response.status} ${parsed?.error?.code ?? ''}`.trim();
      refusals[label] = (refusals[label] ?? 0) + 1;
      if (response.status >= 500) log(`${label}: ${text.slice(0, 300)}`);
    }
    return { status: response.status, body: parsed };
  }
  const must = async (name: string, key: string, method: string, path: string, body?: unknown) => {
    const r = await call(name, key, method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`);
    return r.body;
  };

  // ---- The corporation, its policy, its creditor and the occupancies on direct debit --------------
  const today0 = await stack.today();
  const from = addMonths(`${today0.slice(0, 7)}-01`, 1);
  const to = addDays(addMonths(from, 12), -1);
  const monthStart = (m: number) => addMonths(from, m);
  await must('corporation', keys.admin, 'PUT', `/v1/corporations/${corporationId}`, { name: `Portefeuille ${corporationId}`, rentedUnits: tenancies.length, bailiffOfficeId: bailiffOffice, iban: ourAccount });
  await must('policy', keys.admin, 'PUT', `/v1/corporations/${corporationId}/policy`, options.policy);
  const creditorId = `cred-${corporationId}`;
  const onDebit = tenancies.filter((t) => t.behaviour === 'direct_debit');
  if (onDebit.length > 0) {
    await must('creditor', keys.admin, 'PUT', `/v1/creditors/${creditorId}`, {
      corporationId,
      name: 'Incassodienst Portefeuille',
      creditorIdentifier: 'NL69ZZZ123456780000',
      iban: ourAccount,
      accountMode: 'provider_account',
      collectionDay: schedule.collectionDay,
      limits: { maxPerDebit: '2000.00', maxRunTotal: '5000000.00', runsPerMonth: schedule.runsPerMonth },
    });
    await pool(onDebit, options.concurrency, (t) =>
      must('occupancy', keys.billing, 'PUT', `/v1/occupancies/${occupancyId(t)}`, {
        creditorId,
        corporationId,
        contractRef: t.contractRef,
        unitRef: `Unit ${t.index}`,
        occupant: { name: `Bewoner ${t.index}`, address: { street: `Portefeuillestraat ${t.index}`, postalCode: '1234 AB', city: 'Utrecht' }, email: null, iban: null },
        movedInOn: addMonths(from, -3),
        mandate: { mandateId: `MND-PY-${t.index}`, signedOn: addMonths(from, -3), iban: 'NL02ABNA0123456789' },
        advance: { amount: t.rent, from: from.slice(0, 7) },
      }),
    );
  }

  // ---- Every tenancy an agent with a next date; each stop acts for those that are due -------------
  const agents: Agent[] = tenancies.map((t) => {
    if (t.behaviour === 'direct_debit') {
      if (!t.debitBack) return { t, phase: 'done', next: to, payments: 0, failures: 0, bailiff: {} };
      const collected = collectionDateOf(schedule, monthStart(t.debitBack.month).slice(0, 7));
      // A return for lack of funds comes within days; a refund at the occupant's request weeks later.
      return { t, phase: 'debit_back', next: addDays(collected, t.debitBack.reason === 'AM04' ? 3 : 20), payments: 0, failures: 0, bailiff: {} };
    }
    // The billing system hands over a term a few days after it fell due and stayed unpaid.
    const lastDue = monthStart(t.arrearsMonth + t.monthsUnpaid - 1);
    return { t, phase: 'report', next: addDays(lastDue, 3), payments: 0, failures: 0, bailiff: {} };
  });

  const caseOf = (agent: Agent) => must('case', keys.operator, 'GET', `/v1/cases/${agent.caseId}`);
  async function payInFull(agent: Agent, today: string): Promise<void> {
    const c = await caseOf(agent);
    if (c.stage === 'closed' || money(c.balance.outstanding).lte(0)) return;
    await must('payment', keys.billing, 'POST', `/v1/cases/${agent.caseId}/payments`, { transactionId: `PY-${agent.t.contractRef}-${++agent.payments}`, amount: c.balance.outstanding, bookedOn: today });
  }
  const letterDate = (c: any, kind: string): string | undefined => c.letters?.find((l: { kind: string }) => l.kind === kind)?.date;

  async function act(agent: Agent, today: string, bank: CamtEntry[]): Promise<void> {
    const { t } = agent;
    switch (agent.phase) {
      case 'report': {
        const claims = Array.from({ length: t.monthsUnpaid }, (_, i) => {
          const dueDate = monthStart(t.arrearsMonth + i);
          return { invoiceRef: `R-${t.contractRef}-${dueDate.slice(0, 7)}`, description: `Huur ${dueDate.slice(0, 7)}`, amount: t.rent, dueDate };
        });
        const opened = await must('open case', keys.billing, 'POST', '/v1/cases', {
          corporationId,
          contractRef: t.contractRef,
          debtor: { name: `Huurder ${t.index}`, address: { street: `Portefeuillestraat ${t.index}`, postalCode: '1234 AB', city: 'Utrecht' } },
          segment: 'unknown',
          claims,
        });
        agent.caseId = opened.caseId;
        return startStory(agent, today);
      }
      case 'find_case': {
        const found = await must('find case', keys.operator, 'GET', `/v1/cases?corporationId=${corporationId}&contractRef=${t.contractRef}`);
        const hit = found.cases?.[0] ?? found.items?.[0];
        if (!hit) return void (agent.next = addDays(today, 1));
        agent.caseId = hit.caseId;
        agent.awaits = { kind: 'reminder', days: t.reactionDays };
        agent.phase = 'after_letter';
        return;
      }
      case 'after_letter': {
        const c = await caseOf(agent);
        if (c.stage === 'closed') return void (agent.phase = 'done');
        const sent = letterDate(c, agent.awaits!.kind);
        if (!sent) return void (agent.next = addDays(today, 1));
        const payOn = addDays(sent, agent.awaits!.days);
        if (compareIsoDates(today, payOn) < 0) return void (agent.next = payOn);
        await payInFull(agent, today);
        agent.phase = 'done';
        return;
      }
      case 'propose': {
        const c = await caseOf(agent);
        const sent = letterDate(c, 'reminder');
        if (!sent) return void (agent.next = addDays(today, 1));
        if (compareIsoDates(today, addDays(sent, t.reactionDays)) < 0) return void (agent.next = addDays(sent, t.reactionDays));
        const total = money(c.balance.outstanding);
        const each = total.div(t.instalments).toDecimalPlaces(2, 3);
        const instalments = Array.from({ length: t.instalments }, (_, i) => ({
          // On a stop: the tenant pays on the day, as the arrangement's grace days expect.
          dueDate: addDays(today, Math.ceil((14 + 30 * i) / stepDays) * stepDays),
          amount: formatMoney(i === t.instalments - 1 ? total.minus(each.times(t.instalments - 1)) : each),
        }));
        const proposed = await call('arrangement', keys.operator, 'POST', `/v1/cases/${agent.caseId}/arrangements`, { instalments });
        if (proposed.status !== 200) {
          // Refused by a rule of the policy: the tenant pays as a late payer would.
          agent.awaits = { kind: 'wik', days: t.reactionDays };
          agent.phase = 'after_letter';
          return;
        }
        agent.instalments = proposed.body.instalments;
        agent.paidInstalments = 0;
        agent.phase = 'instalments';
        agent.next = agent.instalments![0]!.dueDate;
        return;
      }
      case 'instalments': {
        const due = agent.instalments![agent.paidInstalments!]!;
        await must('instalment', keys.billing, 'POST', `/v1/cases/${agent.caseId}/payments`, { transactionId: `PY-${t.contractRef}-${++agent.payments}`, amount: due.amount, bookedOn: today });
        agent.paidInstalments!++;
        if (agent.paidInstalments! >= t.instalmentsPaid) {
          agent.phase = t.instalmentsPaid < t.instalments ? 'await_breach' : 'done';
          agent.next = addDays(today, 7);
          return;
        }
        agent.next = agent.instalments![agent.paidInstalments!]!.dueDate;
        return;
      }
      case 'await_breach': {
        const c = await caseOf(agent);
        if (c.arrangement?.status !== 'breached') return void (agent.next = addDays(today, 3));
        // After the breach the track resumes; this tenant pays in full when the 14-day letter comes.
        agent.awaits = { kind: 'wik', days: t.reactionDays };
        agent.phase = 'after_letter';
        return;
      }
      case 'bailiff':
        return bailiffStep(agent, today);
      case 'debit_back': {
        const month = monthStart(t.debitBack!.month).slice(0, 7);
        bank.push({
          amount: t.rent,
          direction: 'DBIT',
          reversal: true,
          bookingDate: today,
          ref: `RET-${t.contractRef}-${month}`,
          code: ['PMNT', 'IDDT', 'UPDD'],
          txs: [{ endToEndId: debitEndToEndId(creditorId, occupancyId(t), month, 1), returnReason: t.debitBack!.reason, mandateId: `MND-PY-${t.index}`, counterIban: 'NL02ABNA0123456789', counterName: `Bewoner ${t.index}` }],
        });
        // A refund is no retry: the advance becomes a claim on the contract's track.
        agent.phase = t.debitBack!.reason === 'MD06' ? 'find_case' : 'done';
        agent.next = addDays(today, 1);
        return;
      }
      case 'done':
        return;
    }
  }

  function startStory(agent: Agent, today: string): void {
    const { t } = agent;
    agent.next = addDays(today, 1);
    switch (t.behaviour) {
      case 'pays_after_reminder':
        agent.awaits = { kind: 'reminder', days: t.reactionDays };
        agent.phase = 'after_letter';
        return;
      case 'pays_after_wik':
        agent.awaits = { kind: 'wik', days: t.reactionDays };
        agent.phase = 'after_letter';
        return;
      case 'arrangement_kept':
      case 'arrangement_broken':
        agent.phase = 'propose';
        return;
      case 'bailiff':
        agent.phase = 'bailiff';
        return;
      default:
        agent.phase = 'done';
    }
  }

  /** The bailiff's road: approve the hand-over, the office reports service and judgment, eviction or collection. */
  async function bailiffStep(agent: Agent, today: string): Promise<void> {
    const { t } = agent;
    agent.next = addDays(today, 1);
    const c = await caseOf(agent);
    const pending = (decision: string) => c.proposals?.find((p: { decision: string; status: string }) => p.decision === decision && p.status === 'pending');
    const approved = (decision: string) => c.proposals?.some((p: { decision: string; status: string }) => p.decision === decision && p.status === 'approved');
    const event = (suffix: string, body: object) => must('bailiff event', keys.bailiff, 'POST', `/v1/bailiff/cases/${agent.caseId}/events`, { eventId: `${t.contractRef}-${suffix}`, date: today, ...body });
    switch (c.stage) {
      case 'closed':
        agent.phase = 'done';
        return;
      case 'awaiting_handover': {
        const proposal = pending('handover');
        if (proposal) await must('approval', keys.approver, 'POST', `/v1/cases/${agent.caseId}/approvals`, { decision: 'handover', proposalId: proposal.proposalId });
        return;
      }
      case 'court':
        if (!agent.bailiff.servedOn) {
          await event('served', { type: 'summons_served' });
          agent.bailiff.servedOn = today;
        } else if (daysBetween(agent.bailiff.servedOn, today) >= 28 && !agent.bailiff.judged) {
          await event('judgment', { type: 'judgment' });
          agent.bailiff.judged = true;
        }
        return;
      case 'judgment': {
        if (!t.evicted) {
          await event('collected', { type: 'collected', amount: c.balance.outstanding });
          agent.phase = 'done';
          return;
        }
        const proposal = pending('eviction');
        if (proposal) return void (await must('approval', keys.approver, 'POST', `/v1/cases/${agent.caseId}/approvals`, { decision: 'eviction', proposalId: proposal.proposalId }));
        if (approved('eviction') && !agent.bailiff.evictionDate) {
          agent.bailiff.evictionDate = addDays(today, 14);
          await event('scheduled', { type: 'eviction_scheduled', evictionDate: agent.bailiff.evictionDate });
          agent.next = agent.bailiff.evictionDate;
        }
        return;
      }
      case 'eviction_announced':
        if (agent.bailiff.evictionDate && compareIsoDates(today, agent.bailiff.evictionDate) >= 0) await event('evicted', { type: 'evicted' });
        return;
      case 'post_eviction':
        // What the bailiff still collects after an eviction is a part of the debt.
        if (!agent.bailiff.collected) {
          await event('collected-after', { type: 'collected', amount: formatMoney(money(c.balance.outstanding).times(0.35).toDecimalPlaces(2, 1)) });
          agent.bailiff.collected = true;
        }
        agent.phase = 'done';
        return;
      default:
        return;
    }
  }

  // ---- The year, stop by stop ----------------------------------------------------------------------
  let today = today0;
  let stop = 0;
  while (compareIsoDates(today, to) < 0) {
    today = addDays(today, stepDays);
    if (compareIsoDates(today, to) > 0) today = to;
    await stack.advanceTo(today);
    const due = agents.filter((a) => a.phase !== 'done' && compareIsoDates(a.next, today) <= 0);
    const bank: CamtEntry[] = [];
    const acting = performance.now();
    await pool(due, options.concurrency, async (agent) => {
      try {
        await act(agent, today, bank);
      } catch (error) {
        // Counted and tried again a few stops later; a story that keeps failing is left unfinished.
        const label = `failed ${agent.phase}`;
        refusals[label] = (refusals[label] ?? 0) + 1;
        log(`${agent.t.contractRef} ${agent.phase}: ${error instanceof Error ? error.message : String(error)}`);
        agent.next = addDays(today, 3 * stepDays);
        if (++agent.failures >= 5) agent.phase = 'done';
      }
    });
    if (bank.length > 0) {
      await call('bank file', keys.billing, 'POST', `/v1/bank/statements?corporationId=${corporationId}`, camtXml({ kind: '054', messageId: `PY-${corporationId}-${today}`, entries: bank }), 'application/xml');
    }
    stack.timings.actingMs += performance.now() - acting;
    if (++stop % 10 === 0) log(`${today}: ${agents.filter((a) => a.phase !== 'done').length} stories open, ${(stack.timings.settlingMs / 1000).toFixed(0)} s settling, ${(stack.timings.skippingMs / 1000).toFixed(0)} s skipping, ${(stack.timings.actingMs / 1000).toFixed(0)} s acting`);
  }

  const kpis = await must('kpis', keys.operator, 'GET', `/v1/kpis?corporationId=${corporationId}&from=${from}&to=${to}`);
  const wallMs = performance.now() - started;
  const unfinished: Record<string, number> = {};
  for (const agent of agents.filter((a) => a.phase !== 'done')) {
    const stage = agent.caseId ? (await caseOf(agent)).stage : agent.phase;
    const label = `${agent.t.behaviour} at ${stage}`;
    unfinished[label] = (unfinished[label] ?? 0) + 1;
  }
  const tracks = Number((await stack.db.selectFrom('collection_case').select((eb) => eb.fn.countAll<string>().as('n')).where('corporation_id', '=', corporationId).executeTakeFirstOrThrow()).n);
  const letters = Number(
    (await stack.db.selectFrom('letter').innerJoin('collection_case', 'collection_case.case_id', 'letter.case_id').select((eb) => eb.fn.countAll<string>().as('n')).where('collection_case.corporation_id', '=', corporationId).executeTakeFirstOrThrow()).n,
  );
  return { from, to, kpis, wallMs, calls, refusals, unfinished, tracks, letters };
}

const occupancyId = (t: Tenancy) => `occ-py-${t.index}`;

/** Runs `work` over `items` with at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
