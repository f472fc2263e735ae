import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { encodeToPayloads } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { Kysely, Selectable } from 'kysely';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database, HoldTable } from '../../infra/db/database.js';
import { isIsoDate } from '../../shared/calendar/iso-date.js';
import { trackSearchAttributes } from '../../shared/search-attributes.js';
import { exceptionKinds } from '../../shared/track/decisions.js';
import { holdSignal, type HoldSignal } from '../../shared/track/holds.js';
import { trackStatusQuery } from '../../shared/track/messages.js';
import { segments, stages } from '../../shared/track/stages.js';
import { idPartPattern } from '../../shared/track/workflow-id.js';
import { HttpError, notFound, unprocessable } from '../http/errors.js';
import { integerQuery } from '../http/query-params.js';

// ---------------------------------------------------------------------------------------------
// The operator's extra filter: a small grammar over the project's search attributes.
//
// The free `query` of a hold is never passed on as text. It is parsed into comparisons of the
// track search attributes (shared/search-attributes.ts, CorporationId excepted: the hold names the
// corporation) with literal values checked per attribute, and the visibility query Temporal gets
// is rebuilt from that tree. Anything else (other attributes, functions, quotes inside values,
// comments, unbalanced parentheses) is refused with a 400, so nothing an operator types can widen
// the hold beyond its corporation.
//
//   query      := or
//   or         := and ( OR and )*
//   and        := term ( AND term )*
//   term       := '(' or ')' | comparison
//   comparison := Attribute ( '=' | '!=' | '<' | '<=' | '>' | '>=' ) value
//               | Attribute [NOT] IN '(' value ( ',' value )* ')'
//               | Attribute IS [NOT] NULL
//   value      := 'keyword' | "keyword" | integer | 'YYYY-MM-DD' | 'YYYY-MM-DDTHH:MM:SSZ'
//
// Keywords match [A-Za-z0-9._-]{1,80}; CollectionStage, DebtorSegment and ParkedReason must be one
// of the project's stages, segments and exception kinds. Keyword attributes take = != IN and
// IS NULL; OutstandingCents and NextDeadline also the ordering operators. A date is the start of
// that day in UTC, as Temporal's Datetime comparisons need an instant.
// ---------------------------------------------------------------------------------------------

type AttributeKind = 'keyword' | 'int' | 'datetime';
interface QueryAttribute {
  readonly kind: AttributeKind;
  readonly values?: readonly string[];
}

const knownValues: Record<string, readonly string[]> = { CollectionStage: stages, DebtorSegment: segments, ParkedReason: exceptionKinds };
const kindOfType: Partial<Record<string, AttributeKind>> = { KEYWORD: 'keyword', INT: 'int', DATETIME: 'datetime' };

/** The attributes a hold's query may use: the track's search attributes but CorporationId. */
export const holdQueryAttributes: Readonly<Record<string, QueryAttribute>> = Object.fromEntries(
  trackSearchAttributes
    .filter((key) => key.name !== 'CorporationId' && kindOfType[key.type])
    .map((key) => [key.name, { kind: kindOfType[key.type]!, ...(knownValues[key.name] ? { values: knownValues[key.name] } : {}) }]),
);

const comparisonOperators = ['=', '!=', '<', '<=', '>', '>='] as const;
type ComparisonOperator = (typeof comparisonOperators)[number];

export type HoldQueryNode =
  | { readonly type: 'and' | 'or'; readonly items: readonly HoldQueryNode[] }
  | { readonly type: 'compare'; readonly attribute: string; readonly operator: ComparisonOperator; readonly value: string }
  | { readonly type: 'in'; readonly attribute: string; readonly negated: boolean; readonly values: readonly string[] }
  | { readonly type: 'null'; readonly attribute: string; readonly negated: boolean };

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly at: number }
  | { readonly kind: 'number'; readonly text: string; readonly at: number }
  | { readonly kind: 'symbol'; readonly text: string; readonly at: number }
  | { readonly kind: 'end'; readonly text: ''; readonly at: number };

export class HoldQueryError extends Error {}

const maxQueryLength = 500;
const maxComparisons = 20;
const maxDepth = 4;
const maxInValues = 20;
const keywordPattern = /^[A-Za-z0-9._-]{1,80}$/;
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
/** isIsoDate without its type guard (an IsoDate is a string: the guard would narrow the rest to never). */
const isDate = (value: string): boolean => isIsoDate(value);
const reservedWords = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const symbol = /^(<=|>=|!=|=|<|>|\(|\)|,)/.exec(rest);
    if (symbol) {
      tokens.push({ kind: 'symbol', text: symbol[1]!, at: i });
      i += symbol[1]!.length;
      continue;
    }
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, i + 1);
      if (end < 0) throw new HoldQueryError(`unterminated quoted value at position ${i + 1}`);
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const number = /^-?\d+/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], at: i });
      i += word[0].length;
      continue;
    }
    throw new HoldQueryError(`unexpected ${JSON.stringify(char)} at position ${i + 1}`);
  }
  tokens.push({ kind: 'end', text: '', at: text.length });
  return tokens;
}

class HoldQueryParser {
  private position = 0;
  private comparisons = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): HoldQueryNode {
    const node = this.or(0);
    const next = this.peek();
    if (next.kind !== 'end') throw this.unexpected(next, 'AND, OR or the end of the query');
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private take(): Token {
    return this.tokens[this.position++]!;
  }

  private isWord(token: Token, word: string): boolean {
    return token.kind === 'word' && token.text.toUpperCase() === word;
  }

  private expectWord(word: string): void {
    const token = this.take();
    if (!this.isWord(token, word)) throw this.unexpected(token, word);
  }

  private expectSymbol(symbol: string): void {
    const token = this.take();
    if (token.kind !== 'symbol' || token.text !== symbol) throw this.unexpected(token, `"${symbol}"`);
  }

  private unexpected(token: Token, expected: string): HoldQueryError {
    const found = token.kind === 'end' ? 'the end of the query' : JSON.stringify(token.text);
    return new HoldQueryError(`expected ${expected} at position ${token.at + 1}, found ${found}`);
  }

  private or(depth: number): HoldQueryNode {
    const items = [this.and(depth)];
    while (this.isWord(this.peek(), 'OR')) {
      this.take();
      items.push(this.and(depth));
    }
    return items.length === 1 ? items[0]! : { type: 'or', items };
  }

  private and(depth: number): HoldQueryNode {
    const items = [this.term(depth)];
    while (this.isWord(this.peek(), 'AND')) {
      this.take();
      items.push(this.term(depth));
    }
    return items.length === 1 ? items[0]! : { type: 'and', items };
  }

  private term(depth: number): HoldQueryNode {
    const token = this.peek();
    if (token.kind === 'symbol' && token.text === '(') {
      if (depth >= maxDepth) throw new HoldQueryError(`parentheses nest deeper than ${maxDepth} levels at position ${token.at + 1}`);
      this.take();
      const inner = this.or(depth + 1);
      this.expectSymbol(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): HoldQueryNode {
    const name = this.take();
    if (name.kind !== 'word' || reservedWords.has(name.text.toUpperCase())) throw this.unexpected(name, 'a search attribute');
    const attribute = holdQueryAttributes[name.text];
    if (!attribute) {
      throw new HoldQueryError(
        `${name.text} at position ${name.at + 1} is not a search attribute a hold may filter on (${Object.keys(holdQueryAttributes).join(', ')})`,
      );
    }
    if (++this.comparisons > maxComparisons) throw new HoldQueryError(`more than ${maxComparisons} comparisons`);

    const next = this.take();
    if (this.isWord(next, 'IS')) {
      const negated = this.isWord(this.peek(), 'NOT');
      if (negated) this.take();
      this.expectWord('NULL');
      return { type: 'null', attribute: name.text, negated };
    }
    if (this.isWord(next, 'IN') || this.isWord(next, 'NOT')) {
      const negated = this.isWord(next, 'NOT');
      if (negated) this.expectWord('IN');
      if (attribute.kind !== 'keyword') throw new HoldQueryError(`${name.text} takes no IN list (position ${next.at + 1})`);
      this.expectSymbol('(');
      const values = [this.value(name.text, attribute)];
      for (;;) {
        const separator = this.take();
        if (separator.kind === 'symbol' && separator.text === ')') break;
        if (separator.kind !== 'symbol' || separator.text !== ',') throw this.unexpected(separator, '"," or ")"');
        values.push(this.value(name.text, attribute));
        if (values.length > maxInValues) throw new HoldQueryError(`an IN list holds at most ${maxInValues} values`);
      }
      return { type: 'in', attribute: name.text, negated, values };
    }
    if (next.kind !== 'symbol' || !(comparisonOperators as readonly string[]).includes(next.text)) {
      throw this.unexpected(next, 'an operator (= != < <= > >= IN, IS NULL)');
    }
    const operator = next.text as ComparisonOperator;
    if (attribute.kind === 'keyword' && operator !== '=' && operator !== '!=') {
      throw new HoldQueryError(`${name.text} is compared with = or != only (position ${next.at + 1})`);
    }
    return { type: 'compare', attribute: name.text, operator, value: this.value(name.text, attribute) };
  }

  /** A literal, checked for its attribute and returned in the form the visibility query needs. */
  private value(name: string, attribute: QueryAttribute): string {
    const token = this.take();
    const where = `position ${token.at + 1}`;
    switch (attribute.kind) {
      case 'int': {
        if (token.kind !== 'number') throw this.unexpected(token, `a whole number for ${name}`);
        const value = Number(token.text);
        if (!Number.isSafeInteger(value)) throw new HoldQueryError(`${token.text} at ${where} is out of range`);
        return String(value);
      }
      case 'datetime': {
        if (token.kind !== 'string') throw this.unexpected(token, `a quoted date for ${name}`);
        const text: string = token.text;
        if (isDate(text)) return `'${text}T00:00:00Z'`;
        if (instantPattern.test(text) && isDate(text.slice(0, 10)) && !Number.isNaN(Date.parse(text))) return `'${text}'`;
        throw new HoldQueryError(`${JSON.stringify(text)} at ${where} is not a date (YYYY-MM-DD) or a UTC instant (YYYY-MM-DDTHH:MM:SSZ)`);
      }
      case 'keyword': {
        if (token.kind !== 'string') throw this.unexpected(token, `a quoted value for ${name}`);
        if (!keywordPattern.test(token.text)) throw new HoldQueryError(`${JSON.stringify(token.text)} at ${where} is not a valid value (letters, digits, . _ - only)`);
        if (attribute.values && !attribute.values.includes(token.text)) {
          throw new HoldQueryError(`${JSON.stringify(token.text)} at ${where} is not a ${name} (${attribute.values.join(', ')})`);
        }
        return `'${token.text}'`;
      }
    }
  }
}

export function parseHoldQuery(text: string): HoldQueryNode {
  if (text.length > maxQueryLength) throw new HoldQueryError(`longer than ${maxQueryLength} characters`);
  return new HoldQueryParser(tokenize(text)).parse();
}

/** The canonical text of a parsed query: what is stored and what Temporal gets. */
export function formatHoldQuery(node: HoldQueryNode, parent?: 'and' | 'or'): string {
  switch (node.type) {
    case 'and':
    case 'or': {
      const text = node.items.map((item) => formatHoldQuery(item, node.type)).join(node.type === 'and' ? ' AND ' : ' OR ');
      return parent && parent !== node.type ? `(${text})` : text;
    }
    case 'compare':
      return `${node.attribute} ${node.operator} ${node.value}`;
    case 'in':
      return `${node.attribute} ${node.negated ? 'NOT IN' : 'IN'} (${node.values.join(', ')})`;
    case 'null':
      return `${node.attribute} IS ${node.negated ? 'NOT NULL' : 'NULL'}`;
  }
}

/** A hold's free query, parsed and rebuilt; a zod issue (so a 400 with details) when refused. */
export const holdQuerySchema = z
  .string()
  .trim()
  .min(1)
  .max(maxQueryLength)
  .transform((text, ctx) => {
    try {
      return formatHoldQuery(parseHoldQuery(text));
    } catch (error) {
      if (!(error instanceof HoldQueryError)) throw error;
      ctx.addIssue({ code: 'custom', message: `not a query a hold accepts: ${error.message}` });
      return z.NEVER;
    }
  });

const quoted = (value: string) => `'${value}'`;

/**
 * The visibility query of the running tracks a hold covers. Ids and segments are checked by the
 * request schema; the extra filter is the canonical text formatHoldQuery built.
 */
export function holdVisibilityQuery(target: { corporationId: string; segment?: string | null; query?: string | null }): string {
  if (!idPartPattern.test(target.corporationId)) throw new Error(`not a corporation id: ${JSON.stringify(target.corporationId)}`);
  if (target.segment && !(segments as readonly string[]).includes(target.segment)) throw new Error(`not a segment: ${JSON.stringify(target.segment)}`);
  return [
    `WorkflowType = ${quoted('collectionTrack')}`,
    `ExecutionStatus = ${quoted('Running')}`,
    `CorporationId = ${quoted(target.corporationId)}`,
    ...(target.segment ? [`DebtorSegment = ${quoted(target.segment)}`] : []),
    ...(target.query ? [`(${target.query})`] : []),
  ].join(' AND ');
}

// ---------------------------------------------------------------------------------------------
// Requests and answers
// ---------------------------------------------------------------------------------------------

export const createHoldRequestSchema = z
  .object({
    /** Optional natural key: repeating a call with the same holdId answers as the first did. */
    holdId: z.string().regex(idPartPattern, 'letters, digits, . _ - (at most 80)').optional(),
    corporationId: z.string().regex(idPartPattern, 'a corporation id'),
    segment: z.enum(segments).optional(),
    query: holdQuerySchema.optional(),
    /** Why: stays in the database, never goes to Temporal. */
    reason: z.string().trim().min(1).max(2000).optional(),
  })
  // A misspelt `segment` must not widen the hold to the whole corporation.
  .strict();
export type CreateHoldRequest = z.infer<typeof createHoldRequestSchema>;

export const holdIdParamsSchema = z.object({ holdId: z.string().regex(idPartPattern, 'a hold id') });

export const holdListQuerySchema = z.object({
  corporationId: z.string().regex(idPartPattern, 'a corporation id').optional(),
  status: z.enum(['active', 'released']).optional(),
  limit: integerQuery(1, 500).default(100),
});

type HoldRow = Selectable<HoldTable>;

export interface BatchJobState {
  readonly jobId: string;
  readonly state: 'running' | 'completed' | 'failed' | 'unspecified';
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly startedAt: string | null;
  readonly closedAt: string | null;
}

export function presentHold(row: HoldRow) {
  return {
    holdId: row.hold_id,
    corporationId: row.corporation_id,
    segment: row.segment,
    query: row.visibility_query,
    reason: row.reason,
    status: row.released_on ? ('released' as const) : ('active' as const),
    from: row.from_date,
    releasedOn: row.released_on,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    releasedBy: row.released_by,
    /** The batch operation that carried the start signal (null: signalled one by one, or not yet). */
    batchJobId: row.start_batch_job_id,
    /** Tracks signalled one by one (null when a batch operation carried it: see its state). */
    matched: row.start_matched,
    releaseBatchJobId: row.release_batch_job_id,
    releaseMatched: row.release_matched,
    /** Whether the start (release) signal went out; false after a failure: repeat the call. */
    signalled: { start: startSignalled(row), release: releaseSignalled(row) },
  };
}
export type HoldView = ReturnType<typeof presentHold>;

const startSignalled = (row: HoldRow) => row.start_batch_job_id !== null || row.start_matched !== null;
const releaseSignalled = (row: HoldRow) => row.release_batch_job_id !== null || row.release_matched !== null;

// ---------------------------------------------------------------------------------------------
// Delivering the signal
// ---------------------------------------------------------------------------------------------

const grpcUnimplemented = 12;
const grpcNotFound = 5;
const grpcAlreadyExists = 6;

function grpcCode(error: unknown): number | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.cause?.code === 'number') return e.cause.code;
  return undefined;
}
const isUnimplemented = (error: unknown) => grpcCode(error) === grpcUnimplemented;

/** How a hold signal reached the tracks. */
export type HoldDelivery = { readonly via: 'batch'; readonly jobId: string } | { readonly via: 'list' | 'database'; readonly matched: number };

export interface HoldTarget {
  readonly corporationId: string;
  readonly segment: string | null;
  readonly query: string | null;
}

/**
 * The batch job id of one signal of one hold: derived from the hold (its id and the instant it was
 * stored), so a retry reuses it and the server refuses a second batch, while a hold id reused
 * after the database was reset gets a job of its own.
 */
export function holdBatchJobId(row: Pick<HoldRow, 'hold_id' | 'created_at'>, action: HoldSignal['action']): string {
  return `hold-${action}-${row.hold_id}-${row.created_at.getTime().toString(36)}`;
}

const batchStates: Partial<Record<number, BatchJobState['state']>> = { 0: 'unspecified', 1: 'running', 2: 'completed', 3: 'failed' };
const batchStateNames: Partial<Record<string, BatchJobState['state']>> = { unspecified: 'unspecified', running: 'running', completed: 'completed', failed: 'failed' };

export class HoldNotDeliverable extends HttpError {
  constructor(message: string) {
    super(501, 'not_implemented', message);
  }
}

/**
 * Sends a hold signal to every running track the target covers, the best way the Temporal server
 * offers: one batch operation on the visibility query (the dev server, a real cluster); where the
 * server has no batch operations, the tracks listed by that query one by one; where it cannot list
 * either (the time-skipping test server of SIMULATION=1), the corporation's tracks the database
 * knows, each checked for running and, for a segment, asked for its segment (confirmed, else
 * proposed: what DebtorSegment carries). A free query cannot be evaluated that way: 501.
 */
export class HoldSignaller {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly client: Client,
    private readonly today: () => Promise<string>,
  ) {}

  async deliver(signal: HoldSignal, target: HoldTarget, jobId: string, reason: string): Promise<HoldDelivery> {
    const query = holdVisibilityQuery(target);
    try {
      await this.client.workflowService.startBatchOperation({
        namespace: this.client.options.namespace,
        jobId,
        reason,
        visibilityQuery: query,
        signalOperation: {
          signal: holdSignal.name,
          input: { payloads: await encodeToPayloads(this.client.options.loadedDataConverter, signal) },
          identity: this.client.options.identity,
        },
      });
      return { via: 'batch', jobId };
    } catch (error) {
      // The same job id again: an earlier attempt of this call started the batch.
      if (grpcCode(error) === grpcAlreadyExists) return { via: 'batch', jobId };
      if (!isUnimplemented(error)) throw error;
    }

    try {
      const workflowIds: string[] = [];
      for await (const execution of this.client.workflow.list({ query })) workflowIds.push(execution.workflowId);
      return { via: 'list', matched: await this.signalEach(workflowIds, signal) };
    } catch (error) {
      if (!isUnimplemented(error)) throw error;
    }

    if (target.query) {
      throw new HoldNotDeliverable(
        'this Temporal server offers neither batch operations nor visibility queries, so a hold narrowed by a query cannot find its tracks; hold the corporation or one segment instead',
      );
    }
    return { via: 'database', matched: await this.signalKnownTracks(target, signal) };
  }

  /** Signals each workflow; one that closed in between is skipped. Answers how many took it. */
  private async signalEach(workflowIds: string[], signal: HoldSignal): Promise<number> {
    let signalled = 0;
    for (const workflowId of workflowIds) {
      try {
        await this.client.workflow.getHandle(workflowId).signal(holdSignal, signal);
        signalled++;
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    return signalled;
  }

  private async signalKnownTracks(target: HoldTarget, signal: HoldSignal): Promise<number> {
    const cases = await this.db.selectFrom('collection_case').select('workflow_id').where('corporation_id', '=', target.corporationId).orderBy('workflow_id').execute();
    const asOf = await this.today();
    const covered: string[] = [];
    for (const { workflow_id: workflowId } of cases) {
      const handle = this.client.workflow.getHandle(workflowId);
      const description = await handle.describe().catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      });
      if (description?.status.name !== 'RUNNING') continue;
      if (target.segment) {
        const status = await handle.query(trackStatusQuery, asOf);
        if ((status.segment.confirmed ?? status.segment.proposed) !== target.segment) continue;
      }
      covered.push(workflowId);
    }
    return this.signalEach(covered, signal);
  }

  /** The batch job's progress, or null where the server cannot describe it (or never ran it). */
  async describeBatch(jobId: string | null): Promise<BatchJobState | null> {
    if (!jobId) return null;
    try {
      const job = await this.client.workflowService.describeBatchOperation({ namespace: this.client.options.namespace, jobId });
      // BatchOperationState: 1 running, 2 completed, 3 failed (a name where the decoder gave one).
      const raw: unknown = job.state;
      const state = typeof raw === 'string' ? batchStateNames[raw.replace('BATCH_OPERATION_STATE_', '').toLowerCase()] : batchStates[Number(raw)];
      const instant = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
        t?.seconds != null ? new Date(Number(String(t.seconds)) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString() : null;
      return {
        jobId,
        state: state ?? 'unspecified',
        total: Number(String(job.totalOperationCount ?? 0)),
        completed: Number(String(job.completeOperationCount ?? 0)),
        failed: Number(String(job.failureOperationCount ?? 0)),
        startedAt: instant(job.startTime),
        closedAt: instant(job.closeTime),
      };
    } catch (error) {
      const code = grpcCode(error);
      if (code === grpcUnimplemented || code === grpcNotFound) return null;
      throw error;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The holds
// ---------------------------------------------------------------------------------------------

const notSignalled = (holdId: string, what: string, error: unknown) =>
  new HttpError(
    503,
    'signal_not_sent',
    `hold ${holdId} is stored but its ${what} signal could not be sent (${error instanceof Error ? error.message : String(error)}); repeat the call to send it`,
    [{ holdId }],
  );

export class HoldService {
  private readonly signaller: HoldSignaller;

  constructor(
    private readonly db: Kysely<Database>,
    client: Client,
    private readonly today: () => Promise<string>,
  ) {
    this.signaller = new HoldSignaller(db, client, today);
  }

  private find(holdId: string): Promise<HoldRow | undefined> {
    return this.db.selectFrom('hold').selectAll().where('hold_id', '=', holdId).executeTakeFirst();
  }

  private async findOrThrow(holdId: string): Promise<HoldRow> {
    const row = await this.find(holdId);
    if (!row) throw notFound(`no hold ${holdId}`);
    return row;
  }

  /**
   * Stores the hold, then signals its start. The row comes first, so a track that opens meanwhile
   * finds it (activeHolds); a track that gets the hold both ways takes it once (the hold id). A
   * repeat with the same holdId answers the stored hold, sending a start that did not go out.
   */
  async create(request: CreateHoldRequest, actor: string): Promise<{ created: boolean; hold: HoldView }> {
    const corporation = await this.db.selectFrom('corporation').select('corporation_id').where('corporation_id', '=', request.corporationId).executeTakeFirst();
    if (!corporation) throw unprocessable('unknown_corporation', `corporation ${request.corporationId} is not configured`);

    const holdId = request.holdId ?? `hold-${randomUUID()}`;
    const inserted = await this.db
      .insertInto('hold')
      .values({
        hold_id: holdId,
        corporation_id: request.corporationId,
        segment: request.segment ?? null,
        visibility_query: request.query ?? null,
        reason: request.reason ?? null,
        from_date: await this.today(),
        created_by: actor,
      })
      .onConflict((oc) => oc.column('hold_id').doNothing())
      .returning('hold_id')
      .executeTakeFirst();
    let row = await this.findOrThrow(holdId);
    if (!inserted) {
      const same = row.corporation_id === request.corporationId && row.segment === (request.segment ?? null) && row.visibility_query === (request.query ?? null);
      if (!same) throw new HttpError(409, 'conflict', `hold ${holdId} exists for other tracks (corporation ${row.corporation_id}, segment ${row.segment ?? 'any'}, query ${row.visibility_query ?? 'none'})`);
    }

    if (!startSignalled(row) && !row.released_on) {
      const signal: HoldSignal = { action: 'start', holdId, from: row.from_date };
      let delivery: HoldDelivery;
      try {
        delivery = await this.signaller.deliver(signal, { corporationId: row.corporation_id, segment: row.segment, query: row.visibility_query }, holdBatchJobId(row, 'start'), `hold ${holdId}: start, by ${actor}`);
      } catch (error) {
        if (error instanceof HoldNotDeliverable) {
          // Nothing was signalled: the hold is not kept, the call changes nothing.
          await this.db.deleteFrom('hold').where('hold_id', '=', holdId).where('start_batch_job_id', 'is', null).where('start_matched', 'is', null).execute();
          throw error;
        }
        throw notSignalled(holdId, 'start', error);
      }
      row = await this.db
        .updateTable('hold')
        .set(delivery.via === 'batch' ? { start_batch_job_id: delivery.jobId } : { start_matched: delivery.matched })
        .where('hold_id', '=', holdId)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    return { created: !!inserted, hold: presentHold(row) };
  }

  /**
   * Releases the hold: marks it released (so tracks opening from now on do not join it), then
   * signals the release to every running track of the corporation. Not only to the tracks the hold
   * matched: a track may have changed segment or stage since, and a track that never held this
   * hold ignores its release. A repeat answers the released hold, sending a release that did not
   * go out.
   */
  async release(holdId: string, actor: string): Promise<HoldView> {
    let row = await this.findOrThrow(holdId);
    if (!row.released_on) {
      await this.db.updateTable('hold').set({ released_on: await this.today(), released_by: actor }).where('hold_id', '=', holdId).where('released_on', 'is', null).execute();
      row = await this.findOrThrow(holdId);
    }
    if (!releaseSignalled(row)) {
      const signal: HoldSignal = { action: 'release', holdId, on: row.released_on! };
      let delivery: HoldDelivery;
      try {
        delivery = await this.signaller.deliver(signal, { corporationId: row.corporation_id, segment: null, query: null }, holdBatchJobId(row, 'release'), `hold ${holdId}: release, by ${actor}`);
      } catch (error) {
        throw notSignalled(holdId, 'release', error);
      }
      row = await this.db
        .updateTable('hold')
        .set(delivery.via === 'batch' ? { release_batch_job_id: delivery.jobId } : { release_matched: delivery.matched })
        .where('hold_id', '=', holdId)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    return presentHold(row);
  }

  /** Active holds first, then the newest. */
  async list(filter: z.infer<typeof holdListQuerySchema>): Promise<HoldView[]> {
    const rows = await this.db
      .selectFrom('hold')
      .selectAll()
      .$if(filter.corporationId !== undefined, (qb) => qb.where('corporation_id', '=', filter.corporationId!))
      .$if(filter.status === 'active', (qb) => qb.where('released_on', 'is', null))
      .$if(filter.status === 'released', (qb) => qb.where('released_on', 'is not', null))
      .orderBy((eb) => eb('released_on', 'is', null), 'desc')
      .orderBy('created_at', 'desc')
      .orderBy('hold_id')
      .limit(filter.limit)
      .execute();
    return rows.map(presentHold);
  }

  /** One hold, with the state of its batch jobs where the server can describe them. */
  async get(holdId: string) {
    const row = await this.findOrThrow(holdId);
    const [start, release] = await Promise.all([this.signaller.describeBatch(row.start_batch_job_id), this.signaller.describeBatch(row.release_batch_job_id)]);
    return { ...presentHold(row), batches: { start, release } };
  }
}
