import type { MoneyString } from '../../shared/money.js';
import type { CostCharge } from '../../shared/track/balance.js';
import type { CaseEventKind } from '../../shared/track/case-events.js';
import type { Proposal } from '../../shared/track/decisions.js';
import type { Stage } from '../../shared/track/stages.js';
import type { RegisterPaymentRequest } from '../../shared/track/track-input.js';
import type { Deadline, TrackData } from './track-data.js';

/**
 * What the books (arrangement-book.ts, bailiff-book.ts) write through: TrackState's own timeline,
 * event queue, stage moves and money, so a book keeps none of its own and a change it makes reads
 * in the timeline exactly as one TrackState made itself. TrackState implements it.
 */
export interface TrackCore {
  readonly data: TrackData;
  readonly stage: Stage;
  readonly closed: boolean;
  readonly parked: boolean;
  record(event: string, nowMs: number): void;
  emit(kind: CaseEventKind, ref: string, occurredOn: string, amount?: MoneyString | null, since?: string): void;
  moveTo(stage: Stage, nowMs: number, deadline?: Deadline | null): void;
  withdrawProposals(applies: (proposal: Proposal) => boolean): void;
  chargeCosts(charge: CostCharge, nowMs: number): void;
  registerPayment(payment: RegisterPaymentRequest, nowMs: number): boolean;
  paidTotal(): MoneyString;
  outstanding(asOf: string): MoneyString;
}
