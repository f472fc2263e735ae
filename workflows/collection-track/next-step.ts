import { addDays, compareIsoDates, type IsoDate } from '../../shared/calendar/iso-date.js';
import { money } from '../../shared/money.js';
import type { CollectionPolicy } from '../../shared/policy/collection-policy.js';
import type { TrackState } from './track-state.js';

/** What the track does next; `wait` with `until: null` waits for a message. */
export type NextStep =
  | { readonly kind: 'done' }
  | {
      readonly kind: 'wait';
      /** When the track wakes up to act. */
      readonly until: IsoDate | null;
      readonly reason: string;
      /** The date people should see, when it differs from the wake-up (a term's last day). */
      readonly lastDay?: IsoDate;
    }
  | { readonly kind: 'close_paid' }
  | { readonly kind: 'send_reminder' }
  | { readonly kind: 'send_wik_letter' }
  | { readonly kind: 'end_wik_term'; readonly letterId: string }
  | { readonly kind: 'propose_handover' }
  | { readonly kind: 'start_bailiff_phase' }
  | { readonly kind: 'close_written_off' };

/**
 * The collection process as a pure decision over the track's state and today's date: which step
 * is due, or until when to wait. The workflow loop carries it out and asks again, so a message, a
 * timer or a new run after continue-as-new all resume at the right step.
 */
export function nextStep(track: TrackState, today: IsoDate, policy: CollectionPolicy): NextStep {
  const data = track.data;
  if (track.closed) return { kind: 'done' };
  if (data.proposals.some((p) => p.decision === 'write_off' && p.status === 'approved')) return { kind: 'close_written_off' };
  if (track.isSettled(today)) return { kind: 'close_paid' };
  if (track.parked) return { kind: 'wait', until: null, reason: `parked: ${data.exceptions.map((e) => e.kind).join(', ')}` };

  switch (data.stage) {
    case 'prenotice':
    case 'reminder': {
      // A new cycle after an earlier 14-day letter starts with a reminder of its own.
      const cycleStart = track.letters.findLastIndex((l) => l.kind === 'wik') + 1;
      const reminder = track.letters.slice(cycleStart).findLast((l) => l.kind === 'reminder');
      if (!reminder) {
        const oldestOpen = track
          .ledger(today)
          .claims.filter((c) => money(c.open).gt(0))
          .map((c) => c.dueDate)
          .sort(compareIsoDates)[0];
        if (!oldestOpen) return { kind: 'wait', until: null, reason: 'no open claim' };
        // Default starts the day after the due date (art. 6:83 sub a BW).
        const remindOn = addDays(oldestOpen, 1 + policy.firstReminderAfterDefaultDays);
        return compareIsoDates(today, remindOn) >= 0 ? { kind: 'send_reminder' } : { kind: 'wait', until: remindOn, reason: 'first_reminder' };
      }
      const wikOn = addDays(reminder.date, policy.wikLetterAfterReminderDays);
      return compareIsoDates(today, wikOn) >= 0 ? { kind: 'send_wik_letter' } : { kind: 'wait', until: wikOn, reason: 'wik_letter' };
    }
    case 'wik_letter': {
      const wik = lastLetter(track, 'wik');
      if (!wik?.costsDueFrom) return { kind: 'send_wik_letter' };
      return compareIsoDates(today, wik.costsDueFrom) >= 0
        ? { kind: 'end_wik_term', letterId: wik.letterId }
        : { kind: 'wait', until: wik.costsDueFrom, reason: 'wik_term', lastDay: wik.deadline };
    }
    case 'awaiting_handover': {
      if (track.approvedProposal('handover') && !data.bailiff) return { kind: 'start_bailiff_phase' };
      if (!track.pendingProposal('handover') && !data.bailiff) return { kind: 'propose_handover' };
      return { kind: 'wait', until: null, reason: 'handover_approval' };
    }
    default:
      // The bailiff phase (a child workflow) drives the stages from here; the track waits for
      // its reports, payments and decisions.
      return { kind: 'wait', until: null, reason: data.stage };
  }
}

function lastLetter(track: TrackState, kind: string) {
  return track.letters.findLast((l) => l.kind === kind);
}
