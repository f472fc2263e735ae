import type { Request, RequestHandler, Response, Router } from 'express';
import { HttpError, parseInput } from '../../http/errors.js';
import { allow, keyAccessOf } from '../auth.js';
import { auditNoteOf, writeAudit } from '../audit-trail.js';
import { checkScope } from '../key-scope.js';
import { noReach } from '../reach.js';
import type { RouteContract, RouteInput } from '../requests/route-contract.js';

/** The contract each mounted handler serves, so a test can read it back from the router's stack. */
const contractsByHandler = new WeakMap<RequestHandler, RouteContract>();

export const contractOfHandler = (handler: unknown): RouteContract | undefined =>
  typeof handler === 'function' ? contractsByHandler.get(handler as RequestHandler) : undefined;

/**
 * Mounts a route as its contract describes it: its method and path, its access check, its input
 * parsed by the contract's schemas (path, then query, then body), then its scope checked against
 * the key (404 for what the key does not hold) before the handler runs; and, for an audited route
 * that succeeded, its audit entry written before the answer goes out.
 * `guards` run after the access check and before the input is parsed (the simulation routes
 * answer 404 when simulation is off, whatever the body).
 */
export function mountRoute<const C extends RouteContract>(
  router: Router,
  contract: C,
  handler: (input: RouteInput<C>, res: Response, req: Request) => unknown,
  guards: readonly RequestHandler[] = [],
): void {
  const handle: RequestHandler = async (req, res) => {
    const input = {
      params: contract.params ? parseInput(contract.params, req.params, 'path') : undefined,
      query: contract.query ? parseInput(contract.query, req.query, 'query') : undefined,
      body: contract.body ? parseInput(contract.body.schema, contract.body.optional ? (req.body ?? {}) : req.body, contract.body.name) : undefined,
    } as RouteInput<C>;
    if (contract.scope === 'none' && contract.audit === 'none') {
      await handler(input, res, req);
      return;
    }
    const access = keyAccessOf(res.locals);
    if (!access) throw new HttpError(401, 'unauthorized', 'missing bearer API key');
    const reach = contract.scope === 'none' ? noReach : await checkScope(access, contract.scope, input);
    if (contract.audit === 'none') {
      await handler(input, res, req);
      return;
    }
    const audit = contract.audit;
    await answerAfter(res, () => handler(input, res, req), (status) =>
      writeAudit(access, { kind: audit, action: contract.operationId, status, params: input.params, reach, note: auditNoteOf(res) }),
    );
  };
  contractsByHandler.set(handle, contract);
  const access = typeof contract.access === 'string' ? [] : [allow(...contract.access)];
  router[contract.method](contract.path, ...access, ...guards, handle);
}

/**
 * Runs the handler holding back the answer it gives (JSON, or a document such as a letter's PDF);
 * when that answer is a success, `before` runs first (the audit entry), and only then does the
 * answer go out. A failing `before` fails the call: personal data is not handed out unrecorded.
 */
async function answerAfter(res: Response, handler: () => unknown, before: (status: number) => Promise<void>): Promise<void> {
  const sendJson = res.json.bind(res);
  const sendBody = res.send.bind(res);
  let held: (() => void) | undefined;
  res.json = ((body: unknown) => {
    held = () => sendJson(body);
    return res;
  }) as Response['json'];
  res.send = ((body: unknown) => {
    held = () => sendBody(body);
    return res;
  }) as Response['send'];
  try {
    await handler();
  } finally {
    res.json = sendJson;
    res.send = sendBody;
  }
  if (!held) return;
  if (res.statusCode < 400) await before(res.statusCode);
  held();
}
