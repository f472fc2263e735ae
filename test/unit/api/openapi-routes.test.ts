import express, { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiApp } from '../../../services/api/api-app.js';
import { openApiDocument, openApiPath } from '../../../services/api/openapi.js';
import { apiRouteContracts } from '../../../services/api/requests/api-routes.js';
import type { RouteContract } from '../../../services/api/requests/route-contract.js';
import { contractOfHandler } from '../../../services/api/routes/mount-route.js';
import { HttpError } from '../../../services/http/errors.js';
import { mountedRoutes, type RouteHandler } from '../../support/mounted-routes.js';

/**
 * The OpenAPI document against the express app itself: every route the router stack serves is in
 * the document with the schemas the route validates with, and the document has no route the app
 * lacks. The app is built with stub dependencies: building it connects to nothing.
 */

type Handler = RouteHandler;

const routesOf = (app: express.Express) => mountedRoutes(app);

type Document = ReturnType<typeof openApiDocument>;
const documentedKeys = (document: Pick<Document, 'paths'>) =>
  Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));

/** What differs between the app's routes and the document's: the test's whole verdict. */
function mismatches(app: express.Express, document: Pick<Document, 'paths'>) {
  const served = routesOf(app).map((r) => r.key);
  const documented = documentedKeys(document);
  return {
    undocumented: served.filter((key) => !documented.includes(key)).sort(),
    notServed: documented.filter((key) => !served.includes(key)).sort(),
    servedTwice: served.filter((key, i) => served.indexOf(key) !== i),
    withoutContract: routesOf(app).filter((r) => !contractOfHandler(r.handler)).map((r) => r.key),
  };
}

const stubDependencies = {
  db: {} as never,
  connection: {} as never,
  client: { options: { namespace: 'default' } } as never,
  taskQueue: 'openapi-routes-test',
  simulation: false,
  serviceUrls: { letters: 'http://127.0.0.1:9', bank: 'http://127.0.0.1:9', municipality: 'http://127.0.0.1:9' },
};

/** As the document states a request schema: zod's input side, in JSON Schema 2020-12 (the document names the dialect once). */
const asDocumented = (schema: z.ZodType) => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return json;
};

interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Record<string, unknown>;
}

/** The document's parameters of one kind, put back together as the object schema they came from. */
function parametersAsObject(parameters: readonly Parameter[] | undefined, location: 'path' | 'query') {
  const own = (parameters ?? []).filter((p) => p.in === location);
  if (own.length === 0) return undefined;
  const required = own.filter((p) => p.required).map((p) => p.name);
  return { type: 'object', properties: Object.fromEntries(own.map((p) => [p.name, p.schema])), ...(required.length > 0 ? { required } : {}) };
}

/** Calls a route's handler with the input given; the HttpError it throws, if any. */
async function refusalOf(handler: Handler, input: { params: unknown; query: unknown; body: unknown }): Promise<HttpError | undefined> {
  const req = { ...input, header: () => undefined };
  const res = { locals: {}, status: () => res, json: () => res, set: () => res };
  try {
    await handler(req, res, () => {});
    return undefined;
  } catch (error) {
    return error instanceof HttpError ? error : undefined;
  }
}

describe('the OpenAPI document against the express router', () => {
  const app = createApiApp(stubDependencies);
  const document = openApiDocument();
  const routes = routesOf(app);

  it('documents every route the app serves, and no route it does not serve', () => {
    expect(mismatches(app, document)).toEqual({ undocumented: [], notServed: [], servedTwice: [], withoutContract: [] });
    // The routes the hand-written document left out are in.
    expect(documentedKeys(document)).toEqual(
      expect.arrayContaining([
        'POST /v1/cases/{caseId}/segment',
        'POST /v1/cases/{caseId}/exceptions',
        'DELETE /v1/cases/{caseId}/exceptions/{kind}',
        'POST /v1/cases/{caseId}/proposals',
        'POST /v1/cases/{caseId}/approvals',
        'POST /v1/cases/{caseId}/payments/{transactionId}/reversal',
        'POST /v1/bailiff/cases/{caseId}/events',
        'GET /v1/cases',
        'PUT /v1/cases/{caseId}/debtor',
      ]),
    );
    expect(routes).toHaveLength(apiRouteContracts.length);
  });

  it('notices a route the document lacks, a documented route the app lacks, and a route mounted without its contract', () => {
    const withExtraRoute = createApiApp(stubDependencies);
    const extra = Router();
    extra.get('/v1/undocumented/:thingId', (_req, res) => void res.json({}));
    withExtraRoute.use(extra);
    expect(mismatches(withExtraRoute, document)).toMatchObject({ undocumented: ['GET /v1/undocumented/{thingId}'], withoutContract: ['GET /v1/undocumented/{thingId}'] });

    const { ['/v1/cases/{caseId}/segment']: _segment, ...fewerPaths } = document.paths;
    expect(mismatches(app, { paths: fewerPaths }).undocumented).toEqual(['POST /v1/cases/{caseId}/segment']);
    expect(mismatches(app, { paths: { ...document.paths, '/v1/ghost': { get: document.paths['/healthz']!.get! } } }).notServed).toEqual(['GET /v1/ghost']);
  });

  it('mounts each route by the contract the document is generated from, at its own method and path', () => {
    for (const route of routes) {
      const contract = contractOfHandler(route.handler)!;
      expect(apiRouteContracts, route.key).toContain(contract);
      expect({ method: contract.method, path: contract.path }, route.key).toEqual({ method: route.method, path: route.path });
    }
  });

  it("documents each route's body, path and query with the schemas the route validates with", () => {
    for (const route of routes) {
      const contract: RouteContract = contractOfHandler(route.handler)!;
      const operation = (document.paths as Record<string, Record<string, Record<string, any>>>)[openApiPath(contract.path)]![contract.method]!;
      expect(operation.requestBody?.content[contract.body?.mediaType ?? 'application/json'].schema, `${route.key} body`).toEqual(contract.body ? asDocumented(contract.body.schema) : undefined);
      expect(operation.requestBody?.required, `${route.key} body required`).toBe(contract.body ? !contract.body.optional : undefined);
      expect(parametersAsObject(operation.parameters, 'path'), `${route.key} path`).toEqual(contract.params ? asDocumented(contract.params) : undefined);
      // Every path parameter of the express path is one the params schema checks (an escaped colon is none: /v1/cases\:batch).
      expect((operation.parameters ?? []).filter((p: Parameter) => p.in === 'path').map((p: Parameter) => p.name), route.key).toEqual(
        [...contract.path.matchAll(/(?<!\\):(\w+)/g)].map((m) => m[1]),
      );
      const query = contract.query ? asDocumented(contract.query) : undefined;
      expect(parametersAsObject(operation.parameters, 'query'), `${route.key} query`).toEqual(
        query && { type: query.type, properties: query.properties, ...(query.required ? { required: query.required } : {}) },
      );
    }
  });

  it('validates with those schemas: input that fails them is refused with a 400 before the route does anything', async () => {
    // Each part of the input in turn fails its schema while the others pass; the stub database
    // would throw a TypeError, not a 400, had the route gone further.
    let refusals = 0;
    for (const route of routes) {
      const contract = contractOfHandler(route.handler)!;
      const valid = { params: contract.params ? validParams(contract) : {}, query: {}, body: undefined };
      const queryPasses = !contract.query || contract.query.safeParse({}).success;
      const checks = [
        ...(contract.params ? [{ what: 'path', input: { ...valid, params: {} } }] : []),
        ...(queryPasses ? [] : [{ what: 'query', input: valid }]),
        ...(contract.body && queryPasses ? [{ what: contract.body.name, input: { ...valid, body: 42 } }] : []),
      ];
      for (const check of checks) {
        const error = await refusalOf(route.handler, check.input);
        expect(error?.status, `${route.key}: ${check.what}`).toBe(400);
        expect(error?.message, `${route.key}: ${check.what}`).toMatch(new RegExp(`^invalid ${check.what}: `));
        refusals += 1;
      }
    }
    expect(refusals).toBeGreaterThan(30);
  });

  it("lists every route's answers: a 2xx with its schema, and its 4xx in the api.md error shape", () => {
    const schemas = document.components.schemas as Record<string, unknown>;
    expect(schemas.Error).toMatchObject({
      type: 'object',
      properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array' } } } },
      required: ['error'],
    });
    for (const route of routes) {
      const contract = contractOfHandler(route.handler)!;
      const responses = (document.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> }>>)[openApiPath(contract.path)]![contract.method]!.responses;
      const statuses = Object.keys(responses).map(Number);
      expect(statuses.some((s) => s >= 200 && s < 300), route.key).toBe(true);
      const expectedErrors = [
        ...(contract.params || contract.query || contract.body ? [400] : []),
        ...(contract.access !== 'public' ? [401] : []),
        ...(Array.isArray(contract.access) ? [403] : []),
      ];
      expect(statuses, route.key).toEqual(expect.arrayContaining(expectedErrors));
      for (const [status, response] of Object.entries(responses)) {
        // A document answer (a letter's PDF) is described by its media type, as binary.
        const mediaType = contract.responses[Number(status)]?.mediaType;
        if (mediaType) {
          expect(response.content, `${route.key} ${status}`).toEqual({ [mediaType]: { schema: { type: 'string', format: 'binary' } } });
          continue;
        }
        const ref = response.content?.['application/json']?.schema.$ref;
        expect(ref, `${route.key} ${status}`).toMatch(/^#\/components\/schemas\//);
        expect(schemas[ref!.split('/').at(-1)!], `${route.key} ${status}: ${ref}`).toBeDefined();
        if (Number(status) >= 400 && Number(status) < 500) expect(ref, `${route.key} ${status}`).toBe('#/components/schemas/Error');
      }
    }
  });
});

/** Path parameters that pass the route's params schema, so a check can reach its query or body. */
function validParams(contract: RouteContract): Record<string, string> {
  const samples: Record<string, string> = {
    caseId: '00000000-0000-4000-8000-000000000000',
    taskId: 'track-corp-HC-1/call/1',
    holdId: 'hold-1',
    corporationId: 'corp-1',
    version: '1',
    kind: 'wsnp',
    transactionId: 'tx-1',
    keyId: '00000000-0000-4000-8000-000000000001',
    importId: '00000000-0000-4000-8000-000000000002',
    entryId: `be-${'0'.repeat(32)}`,
    letterId: '00000000-0000-4000-8000-000000000003',
    month: '2027-01',
  };
  const params = Object.fromEntries([...contract.path.matchAll(/:(\w+)/g)].map((m) => [m[1]!, samples[m[1]!] ?? 'x']));
  expect(contract.params!.safeParse(params).success, `${contract.operationId}: sample params`).toBe(true);
  return params;
}
