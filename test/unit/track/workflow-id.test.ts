import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrangementMonitorWorkflowId } from '../../../shared/arrangement/arrangement-messages.js';
import { bailiffPhaseWorkflowId, idPartPattern, trackWorkflowId } from '../../../shared/track/workflow-id.js';

const idPart = fc.stringMatching(idPartPattern);

describe('workflow ids', () => {
  it('gives the contracts that used to share track-acme-x-1 ids of their own', () => {
    expect(trackWorkflowId('acme', 'x-1')).not.toBe(trackWorkflowId('acme-x', '1'));
    expect(trackWorkflowId('acme', 'x-1')).toBe('track/acme/x-1');
    expect(trackWorkflowId('acme-x', '1')).toBe('track/acme-x/1');
  });

  it('never gives two contracts the same track id, nor a track the id of a bailiff phase or arrangement monitor', () => {
    fc.assert(
      fc.property(idPart, idPart, idPart, idPart, (corpA, refA, corpB, refB) => {
        fc.pre(corpA !== corpB || refA !== refB);
        const a = trackWorkflowId(corpA, refA);
        const b = trackWorkflowId(corpB, refB);
        expect(a).not.toBe(b);
        expect(a).not.toBe(bailiffPhaseWorkflowId(b));
        expect(a).not.toBe(arrangementMonitorWorkflowId(b, refA));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a contract reference ending in -bailiff apart from the bailiff phase of another track', () => {
    const contract = trackWorkflowId('acme', 'x-bailiff');
    expect(contract).not.toBe(bailiffPhaseWorkflowId(trackWorkflowId('acme', 'x')));
    expect(bailiffPhaseWorkflowId(trackWorkflowId('acme', 'x'))).toBe('track/acme/x/bailiff');
  });

  it('keeps the old -bailiff suffix for tracks recorded under the old id format (their histories replay)', () => {
    expect(bailiffPhaseWorkflowId('track-test-corp-HC-1')).toBe('track-test-corp-HC-1-bailiff');
  });

  it('refuses parts the API would refuse', () => {
    expect(() => trackWorkflowId('acme/x', '1')).toThrow();
    expect(() => trackWorkflowId('acme', '')).toThrow();
  });
});
