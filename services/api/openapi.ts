import { z } from 'zod';
import { roles } from './auth.js';
import { apiRouteContracts } from './requests/api-routes.js';
import { requestShapedInResponses, responseSchemas, type RouteContract } from './requests/route-contract.js';

type JsonSchema = Record<string, unknown>;

/**
 * A request schema as the caller writes the input: zod's input side (a query's "50" before it
 * becomes 50, a field with a default left optional). zod targets JSON Schema 2020-12, the dialect
 * of OpenAPI 3.1; the document states it once, so `$schema` is dropped.
 */
export function requestJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return json;
}

/** `/v1/cases/:caseId` → `/v1/cases/{caseId}`; an escaped colon is one (`/v1/cases\:batch` → `/v1/cases:batch`). */
export const openApiPath = (expressPath: string) => expressPath.replace(/(?<!\\):(\w+)/g, '{$1}').replace(/\\:/g, ':');

/**
 * The response schemas under their names, by their output side. zod marks an object's other
 * properties as forbidden there; an answer may gain fields (api.md: extend freely), so the
 * document does not say that. A request schema an answer carries as it is (requestShaped) is
 * described as the request describes it: its output side hides behind transforms.
 */
function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(responseSchemas, {
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
    override: ({ zodSchema, jsonSchema }) => {
      if (requestShapedInResponses.has(zodSchema)) {
        for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
        Object.assign(jsonSchema, requestJsonSchema(zodSchema as unknown as z.ZodType));
      } else if (jsonSchema.additionalProperties === false) {
        delete jsonSchema.additionalProperties;
      }
    },
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...json }]) => [id, json]),
  );
}

function responseRef(contract: RouteContract, status: string, schema: z.ZodType): JsonSchema {
  const named = responseSchemas.get(schema);
  if (!named) throw new Error(`${contract.operationId}: the ${status} response's schema has no name (declare it with responseSchema)`);
  return { $ref: `#/components/schemas/${named.id}` };
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const json = requestJsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

const allowedRoles = (contract: RouteContract) => (contract.access === 'public' ? [] : contract.access === 'any-key' ? [...roles] : [...contract.access]);

function operation(contract: RouteContract) {
  const params = [...parameters(contract.params, 'path'), ...parameters(contract.query, 'query')];
  const who = contract.access === 'public' ? 'no key needed' : contract.access === 'any-key' ? 'any role' : contract.access.join(', ');
  return {
    operationId: contract.operationId,
    summary: `${contract.summary} (${who})`,
    ...(contract.access === 'public' ? { security: [] } : {}),
    'x-roles': allowedRoles(contract),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(contract.body
      ? { requestBody: { required: !contract.body.optional, content: { [contract.body.mediaType ?? 'application/json']: { schema: requestJsonSchema(contract.body.schema) } } } }
      : {}),
    responses: Object.fromEntries(
      Object.entries(contract.responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.schema ? { content: { 'application/json': { schema: responseRef(contract, status, response.schema) } } } : {}),
          ...(response.mediaType ? { content: { [response.mediaType]: { schema: { type: 'string', format: 'binary' } } } } : {}),
        },
      ]),
    ),
  };
}

function buildDocument(contracts: readonly RouteContract[]) {
  const paths: Record<string, Record<string, ReturnType<typeof operation>>> = {};
  for (const contract of contracts) {
    const path = (paths[openApiPath(contract.path)] ??= {});
    if (path[contract.method]) throw new Error(`two contracts for ${contract.method.toUpperCase()} ${contract.path}`);
    path[contract.method] = operation(contract);
  }
  return {
    openapi: '3.1.0' as const,
    info: {
      title: 'huurincasso API',
      version: '0.1.0',
      description:
        'Rent-arrears collection tracks on Temporal. Money is a decimal string with two decimals; dates are YYYY-MM-DD; instants ISO-8601 UTC. ' +
        'Errors answer { error: { code, message, details } }. Each operation lists the roles that may call it in x-roles.',
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: `one role per key: ${roles.join(', ')}` } },
      schemas: componentSchemas(),
    },
    security: [{ apiKey: [] }],
    paths,
  };
}

let document: ReturnType<typeof buildDocument> | undefined;

/** The OpenAPI document served at GET /v1/openapi.json, generated from the routes' contracts (services/api/requests/). */
export function openApiDocument() {
  return (document ??= buildDocument(apiRouteContracts));
}
