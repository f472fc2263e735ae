import { describe, expect, it } from 'vitest';
import { sendLetterRequestSchema } from '../../../shared/letters/letter-contract.js';

const request = (kind: string, facts: Record<string, unknown>) => ({
  idempotencyKey: `letter-${kind}`,
  caseId: '00000000-0000-4000-8000-000000000001',
  kind,
  postedOn: '2027-03-02',
  facts,
});
const eviction = { announcedOn: '2027-03-01', date: '2027-03-22' };

describe('the amounts a letter request carries', () => {
  it('are not asked of eviction information, which prints none', () => {
    const parsed = sendLetterRequestSchema.safeParse(request('eviction_information', { invoiceRefs: [], eviction }));
    expect(parsed.success).toBe(true);
    expect(parsed.data?.facts).not.toHaveProperty('principal');
  });

  it("are still taken from eviction information sent before (a retried activity's '0.00' placeholders)", () => {
    const parsed = sendLetterRequestSchema.safeParse(request('eviction_information', { invoiceRefs: [], principal: '0.00', interest: '0.00', outstanding: '0.00', eviction }));
    expect(parsed.success).toBe(true);
  });

  it.each(['reminder', 'wik', 'handover_notice', 'claim_filing'])('are required of a %s letter, each missing one named', (kind) => {
    const facts = { invoiceRefs: ['R-1'], claimFiling: { proceeding: 'wsnp', rulingDate: '2026-11-30', costs: '0.00' } };
    const parsed = sendLetterRequestSchema.safeParse(request(kind, { ...facts, interest: '1.00' }));
    expect(parsed.success).toBe(false);
    const paths = parsed.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['facts.principal', 'facts.outstanding']));
    expect(paths).not.toContain('facts.interest');
    expect(sendLetterRequestSchema.safeParse(request(kind, { ...facts, principal: '10.00', interest: '1.00', outstanding: '11.00' })).success).toBe(true);
  });
});
