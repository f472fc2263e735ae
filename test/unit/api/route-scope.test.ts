import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiRouteContracts } from '../../../services/api/requests/api-routes.js';
import { defineRoute, scopeFields } from '../../../services/api/requests/route-contract.js';

/**
 * Issue 10, part A: every route says where its corporation comes from (its scope) and what the
 * audit trail keeps of it, so mountRoute can check and record it; a route cannot leave either out.
 */
describe("a route's scope and audit", () => {
  it('are part of every contract: a contract without them does not compile', () => {
    const base = { operationId: 'ghost', method: 'get', path: '/v1/ghost', access: 'any-key', summary: 'x', responses: { 200: { description: 'ok' } } } as const;
    // @ts-expect-error a route without a scope
    expect(() => defineRoute({ ...base, audit: 'none' })).not.toThrow();
    // @ts-expect-error a route without an audit
    expect(() => defineRoute({ ...base, scope: 'none' })).not.toThrow();
    for (const contract of apiRouteContracts) {
      expect(Object.keys(scopeFields), contract.operationId).toContain(contract.scope);
      expect(['decision', 'personal-data-read', 'none'], contract.operationId).toContain(contract.audit);
    }
  });

  it('must name a field the route takes, and a public route holds nothing of a corporation', () => {
    const base = { method: 'get', path: '/v1/ghost/:caseId', access: ['operator'], audit: 'none', summary: 'x', responses: { 200: { description: 'ok' } } } as const;
    expect(() => defineRoute({ ...base, operationId: 'noCaseId', scope: 'case', params: z.object({ id: z.string() }) })).toThrow(/scope case reads params.caseId/);
    expect(() => defineRoute({ ...base, operationId: 'noQuery', scope: 'corporation-in-query' })).toThrow(/reads query.corporationId/);
    expect(() => defineRoute({ ...base, operationId: 'publicCase', access: 'public', scope: 'case', params: z.object({ caseId: z.string() }) })).toThrow(/public route/);
    expect(() => defineRoute({ ...base, operationId: 'publicAudited', access: 'public', scope: 'none', audit: 'decision' })).toThrow(/public route/);
    const fine = defineRoute({ ...base, operationId: 'fine', scope: 'case', params: z.object({ caseId: z.string() }) });
    // The document says a scoped route's 404 answers for what the key does not hold as for what does not exist.
    expect((fine.responses as Record<number, { description: string }>)[404]?.description).toMatch(/does not hold/);
  });

  it('writes decisions and reads of personal data to the audit trail', () => {
    const audited = Object.fromEntries(apiRouteContracts.filter((c) => c.audit !== 'none').map((c) => [c.operationId, c.audit]));
    expect(audited).toMatchObject({
      confirmSegment: 'decision',
      registerException: 'decision',
      resolveException: 'decision',
      proposeDecision: 'decision',
      approveDecision: 'decision',
      proposeArrangement: 'decision',
      reversePayment: 'decision',
      recordTaskOutcome: 'decision',
      changeDebtor: 'decision',
      openCase: 'decision',
      createApiKey: 'decision',
      revokeApiKey: 'decision',
      putCorporation: 'decision',
      putPolicy: 'decision',
      createHold: 'decision',
      releaseHold: 'decision',
      caseStatus: 'personal-data-read',
      worklist: 'personal-data-read',
    });
  });
});
