import { z } from 'zod';
import type { Role } from '../auth.js';

/**
 * Who may call a route: anyone (no key), any valid key, or the roles listed (others get 403).
 * The route is mounted with exactly this check, and the OpenAPI document says it.
 */
export type Access = 'public' | 'any-key' | readonly Role[];

/**
 * Where a route finds the corporation its input belongs to. mountRoute checks it against the key
 * before the handler runs: a case, task, hold or corporation the key does not hold answers 404,
 * exactly as one that does not exist (no hint that it exists). Required, so a new route cannot
 * forget it.
 * - `none`: nothing of a corporation's (the calculations, the document, the simulated clock).
 * - `platform`: every corporation at once: a platform admin key only (403 for others).
 * - `case`: params.caseId, the case's corporation; a bailiff key: the case is handed to its office.
 * - `task`, `hold`: params.taskId, params.holdId, their case's or hold's corporation.
 * - `letter`: params.letterId, its case, checked as `case` is (a bailiff: a case handed to its office).
 * - `corporation-in-path`, `-query`, `-body`: the `corporationId` field there.
 * - `corporations-in-body`: body.corporationIds, each one (a key's corporations).
 * - `api-key`: params.keyId, a key of the caller's corporations (all, for the platform admin).
 * - `listing`: query.corporationId, when given, must be held; the handler lists only what the key
 *   holds (key-scope.ts listingScope).
 * - `payload-corporations`: body.payloads, the corporation each encrypted workflow payload names
 *   (the codec endpoint; 403 for a payload of a corporation the key does not hold).
 * - `bank-import`, `bank-entry`: params.importId, params.entryId, the corporation the bank file
 *   was imported for.
 * - `occupancy`, `creditor-in-query`, `direct-debit-run`: params.occupancyId, query.creditorId,
 *   params.runId, the client corporation of the occupancy, creditor or run (direct debit, issue 13).
 * - `items-in-body`: body.cases, each item's corporationId: a batch answers per item, so an item
 *   of a corporation the key does not hold is refused in its place (not_found), the others taken.
 */
export type Scope =
  | 'none'
  | 'platform'
  | 'case'
  | 'task'
  | 'hold'
  | 'letter'
  | 'corporation-in-path'
  | 'corporation-in-query'
  | 'corporation-in-body'
  | 'corporations-in-body'
  | 'api-key'
  | 'listing'
  | 'payload-corporations'
  | 'bank-import'
  | 'bank-entry'
  | 'occupancy'
  | 'creditor-in-query'
  | 'direct-debit-run'
  | 'items-in-body';

/**
 * What the audit trail keeps of a successful call (status < 400), written by mountRoute: a
 * decision (anything a person decides or changes), a read of personal data, or nothing.
 */
export type Audit = 'decision' | 'personal-data-read' | 'none';

/** The input field each scope reads: [part of the input, field]. */
export const scopeFields: Readonly<Record<Scope, readonly ['params' | 'query' | 'body', string] | null>> = {
  none: null,
  platform: null,
  case: ['params', 'caseId'],
  task: ['params', 'taskId'],
  hold: ['params', 'holdId'],
  letter: ['params', 'letterId'],
  'corporation-in-path': ['params', 'corporationId'],
  'corporation-in-query': ['query', 'corporationId'],
  'corporation-in-body': ['body', 'corporationId'],
  'corporations-in-body': ['body', 'corporationIds'],
  'api-key': ['params', 'keyId'],
  listing: ['query', 'corporationId'],
  'payload-corporations': ['body', 'payloads'],
  'bank-import': ['params', 'importId'],
  'bank-entry': ['params', 'entryId'],
  occupancy: ['params', 'occupancyId'],
  'creditor-in-query': ['query', 'creditorId'],
  'direct-debit-run': ['params', 'runId'],
  'items-in-body': ['body', 'cases'],
};

export interface ResponseSpec {
  readonly description: string;
  /** A schema registered with {@link responseSchema}: the document refers to it by its name. */
  readonly schema?: z.ZodType;
  /** A response that is not JSON (a letter's PDF): the document says its media type. */
  readonly mediaType?: 'application/pdf' | 'text/plain' | 'application/xml';
}

/**
 * One route of the API, described once: the route validates its input with these schemas and the
 * OpenAPI document is generated from them, so the two cannot drift apart.
 */
export interface RouteContract {
  /** The operation's name in the document; unique across the API. */
  readonly operationId: string;
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** As express matches it (`/v1/cases/:caseId`); the document writes `{caseId}`. */
  readonly path: string;
  readonly access: Access;
  readonly scope: Scope;
  readonly audit: Audit;
  readonly summary: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  /**
   * `name` says in a 400's message what was invalid; `optional`: an absent body counts as `{}`.
   * `mediaType`: a body that is not JSON (a bank file), read as text up to `limitMb`.
   */
  readonly body?: { readonly schema: z.ZodType; readonly name: string; readonly optional?: boolean; readonly mediaType?: 'application/xml'; readonly limitMb?: number };
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

/**
 * The response schemas by name: the document's `components.schemas`. A registry of its own (not
 * zod's global one), so request schemas stay inline wherever they are converted.
 */
export const responseSchemas = z.registry<{ id: string }>();

/** Names a response schema for the document; the same schema object is returned. */
export function responseSchema<S extends z.ZodType>(id: string, schema: S): S {
  if (responseSchemas.has(schema)) throw new Error(`response schema ${id} is registered twice`);
  responseSchemas.add(schema, { id });
  return schema;
}

/**
 * Request schemas that a response carries as they are (a stored policy is a valid PUT body): the
 * document describes them by their input side, as zod cannot see through their transforms.
 */
export const requestShapedInResponses = new WeakSet<object>();

/** Marks a request schema used inside a response schema; the same schema object is returned. */
export function requestShaped<S extends z.ZodType>(schema: S): S {
  requestShapedInResponses.add(schema);
  return schema;
}

/**
 * Compiles only when the response schema names every field of the type the route sends: a field
 * added to an answer is added to the document too. (The schemas describe answers; they do not
 * check them at run time.)
 */
export function describesEveryField<Sent>() {
  return <S extends z.ZodObject>(
    schema: S & (Exclude<keyof Sent, keyof S['shape']> extends never ? unknown : { undocumentedFields: Exclude<keyof Sent, keyof S['shape']> }),
  ): S => schema;
}

/** The api.md error shape, as services/http/errors.ts writes it. */
export const errorSchema = responseSchema(
  'Error',
  z.object({
    error: z.object({
      code: z.string().meta({ description: 'machine-readable: invalid_request, unauthorized, forbidden, not_found, conflict, a business rule, engine_unavailable…' }),
      message: z.string(),
      details: z.array(z.unknown()).meta({ description: "for a 400: zod's issues, each with the path of the field it is about" }),
    }),
  }),
);

/** An error answer (api.md's shape) with what it means for this route. */
export const errorResponse = (description: string): ResponseSpec => ({ description, schema: errorSchema });

/** The collection engine (Temporal) did not answer in time; the request is safe to repeat. */
export const engineUnavailable = errorResponse('engine_unavailable: the collection engine did not answer in time (Retry-After); safe to repeat unchanged');

const hasInput = (contract: RouteContract) => contract.params !== undefined || contract.query !== undefined || contract.body !== undefined;

/**
 * A route's contract with the answers every route of its kind gives: 400 for input that fails
 * its schemas, 401 without a valid key, 403 for a role the route does not allow, 413 and 415 for
 * a body too large or not JSON, 429 for a key over its rate limit.
 */
export function defineRoute<const C extends RouteContract>(contract: C): C {
  checkScope(contract);
  const standard: Record<number, ResponseSpec> = {};
  if (hasInput(contract)) standard[400] = errorResponse(contract.body ? 'invalid_request: the input fails its schema (zod issues in details), or malformed JSON' : 'invalid_request: the input fails its schema (zod issues in details)');
  if (contract.access !== 'public') standard[401] = errorResponse('unauthorized: missing, unknown or revoked API key');
  if (Array.isArray(contract.access)) standard[403] = errorResponse(`forbidden: the key's role is not ${(contract.access as readonly Role[]).join(' or ')}`);
  if (contract.scope === 'platform') standard[403] = errorResponse('forbidden: a platform admin key only (an admin key bound to no corporation)');
  // Payloads of a corporation the key does not hold are the caller's own ciphertext: 403, nothing to hide (requests/codec.ts).
  // A batch refuses a foreign corporation's item in its place, never the whole call.
  if (scopeFields[contract.scope] !== null && contract.scope !== 'payload-corporations' && contract.scope !== 'items-in-body') standard[404] = errorResponse("not_found: it does not exist, or belongs to a corporation the key does not hold (the same answer)");
  // The edges api-app.ts guards for every route (services/http/json-bodies.ts, services/api/rate-limit.ts).
  if (contract.body) {
    standard[413] = errorResponse(`payload_too_large: the body is larger than ${contract.body.limitMb ?? 1} MB`);
    standard[415] = errorResponse(`unsupported_media_type: the body is not ${contract.body.mediaType ?? 'application/json'}`);
  }
  if (contract.access !== 'public' && contract.path.startsWith('/v1/')) standard[429] = errorResponse("rate_limited: more requests a minute with this key than API_RATE_LIMIT_PER_MINUTE (Retry-After: seconds until the key's window starts over)");
  return { ...contract, responses: { ...standard, ...contract.responses } };
}

/** A route's scope must name a field its schemas have: checked as the contract is defined. */
function checkScope(contract: RouteContract): void {
  if (contract.access === 'public' && (contract.scope !== 'none' || contract.audit !== 'none')) {
    throw new Error(`${contract.operationId}: a public route holds nothing of a corporation's and has no one to audit (scope and audit none)`);
  }
  const field = scopeFields[contract.scope];
  if (!field) return;
  const [part, name] = field;
  const schema = part === 'body' ? contract.body?.schema : contract[part];
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  if (!shape || !(name in shape)) throw new Error(`${contract.operationId}: scope ${contract.scope} reads ${part}.${name}, which its schema lacks`);
}

/** What a route's handler receives: its input, parsed by the contract's schemas. */
export interface RouteInput<C extends RouteContract> {
  readonly params: C['params'] extends z.ZodType ? z.output<C['params']> : undefined;
  readonly query: C['query'] extends z.ZodType ? z.output<C['query']> : undefined;
  readonly body: C['body'] extends { readonly schema: infer S extends z.ZodType } ? z.output<S> : undefined;
}
