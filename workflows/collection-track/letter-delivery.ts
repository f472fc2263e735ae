import { patched } from '@temporalio/workflow';
import { wikLetterTermAfterDelivery } from '../../shared/legal/wik-letter-term.js';
import { letterDeliveredSchema } from '../../shared/track/letter-delivery-messages.js';
import type { LetterRecord } from '../../shared/track/track-status.js';
import type { TrackState } from './track-state.js';

/**
 * A letter's reported delivery. For a 14-day letter whose term has not ended, a delivery later
 * than presumed re-derives the term from it (the term runs from the day after receipt, HR
 * 25-11-2016): a later last day and later costs. An earlier or equal delivery leaves the term as
 * the letter stated it: never earlier than presumed. A repeat changes nothing.
 */
export function applyLetterDelivery(track: TrackState, report: unknown, nowMs: number): void {
  const parsed = letterDeliveredSchema.safeParse(report);
  if (!parsed.success || !patched('wik-term-from-reported-delivery')) return;
  const { letterId, deliveredOn } = parsed.data;
  const letters = track.data.letters as LetterRecord[];
  const index = letters.findIndex((l) => l.letterId === letterId);
  const letter = letters[index];
  if (!letter || letter.deliveredAt === deliveredOn) return;
  const termRuns = letter.kind === 'wik' && letter.presumedDelivery !== undefined && letter.deadline !== undefined && !track.data.endedWikTerms.includes(letterId);
  if (!termRuns || deliveredOn <= letter.presumedDelivery!) {
    letters[index] = { ...letter, deliveredAt: deliveredOn };
    track.record(`${letter.kind} letter ${letterId} delivered on ${deliveredOn}${termRuns ? `, not later than presumed (${letter.presumedDelivery}): the term stands` : ''}`, nowMs);
    return;
  }
  const term = wikLetterTermAfterDelivery({ delivered: deliveredOn });
  const deadline = term.deadline > letter.deadline! ? term.deadline : letter.deadline!;
  const costsDueFrom = term.costsDueFrom > (letter.costsDueFrom ?? '') ? term.costsDueFrom : letter.costsDueFrom;
  letters[index] = { ...letter, deliveredAt: deliveredOn, deadline, ...(costsDueFrom ? { costsDueFrom } : {}) };
  track.record(`14-day letter ${letterId} delivered on ${deliveredOn}, later than presumed (${letter.presumedDelivery}): the term ends on ${deadline}`, nowMs);
}
