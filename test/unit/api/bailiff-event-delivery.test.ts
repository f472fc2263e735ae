import { describe, expect, it } from 'vitest';
import { deliverBailiffEvent } from '../../../services/api/bailiff-event-delivery.js';
import { conflict, HttpError, unprocessable } from '../../../services/http/errors.js';
import type { BailiffEventResult } from '../../../shared/track/bailiff-messages.js';

type Latest = 'running' | 'handed_over' | 'closed';

/** A phase under one id whose answers are scripted: each update call takes the next answer. */
function phase(answers: (BailiffEventResult | Error)[], latest: Latest[]) {
  const calls = { update: 0, latestRun: 0 };
  return {
    calls,
    tracks: {
      async update() {
        const answer = answers[Math.min(calls.update++, answers.length - 1)]!;
        if (answer instanceof Error) throw answer;
        return answer as never;
      },
      async latestRun() {
        return latest[Math.min(calls.latestRun++, latest.length - 1)]!;
      },
    },
  };
}

const event = { eventId: 'ev-1', type: 'summons_served' as const, date: '2026-12-01' };
const closed = conflict('the workflow is completed; it takes no more messages');
const wait = { totalMs: 300, intervalMs: 10 };

describe('a bailiff event sent while the phase is handed over to its track\u2019s next run', () => {
  it('waits for the next run and is applied there', async () => {
    const { tracks, calls } = phase([closed, closed, { duplicate: false, stage: 'court' }], ['handed_over', 'handed_over']);
    expect(await deliverBailiffEvent(tracks, 'phase', event, wait)).toEqual({ duplicate: false, stage: 'court' });
    expect(calls.update).toBe(3);
  });

  it('is sent again at once when the next run started between the two looks', async () => {
    const { tracks } = phase([new Error('workflow execution already completed'), { duplicate: false, stage: 'court' }], ['running']);
    expect(await deliverBailiffEvent(tracks, 'phase', event, wait)).toEqual({ duplicate: false, stage: 'court' });
  });

  it('answers 503 with Retry-After when the next run does not come in time', async () => {
    const { tracks } = phase([closed], ['handed_over']);
    const error = await deliverBailiffEvent(tracks, 'phase', event, wait).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, code: 'bailiff_phase_handing_over', headers: { 'retry-after': '1' } });
  });

  it('answers a phase that has ended, or a refusal, as it is', async () => {
    const ended = phase([closed], ['closed']);
    await expect(deliverBailiffEvent(ended.tracks, 'phase', event, wait)).rejects.toBe(closed);
    expect(ended.calls.update).toBe(1);
    const refusal = unprocessable('bailiff_event_refused', 'no eviction was scheduled');
    const refused = phase([refusal], ['running']);
    await expect(deliverBailiffEvent(refused.tracks, 'phase', event, wait)).rejects.toBe(refusal);
    expect(refused.calls.latestRun).toBe(0);
    // A 409 from a running phase is tried once more, then answered.
    const busy = conflict('wrong stage');
    const running = phase([busy], ['running']);
    await expect(deliverBailiffEvent(running.tracks, 'phase', event, wait)).rejects.toBe(busy);
    expect(running.calls.update).toBe(2);
  });
});
