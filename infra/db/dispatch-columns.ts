import type { ColumnType } from 'kysely';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/**
 * The exactly-once dispatch of anything we post or e-mail (services/letters/dispatch/dispatch-once.ts):
 * pending → sending → sent, the attempts, the carrier's reference and the delivery it proves.
 * Letters and direct-debit pre-notifications carry the same columns, so one state machine serves both.
 */
export interface DispatchColumns {
  dispatch_state: ColumnType<'pending' | 'sending' | 'sent', 'pending' | 'sending' | 'sent' | undefined, 'pending' | 'sending' | 'sent'>;
  dispatch_attempts: ColumnType<number, number | undefined, number>;
  sending_since: Nullable<Date>;
  dispatched_at: Nullable<Date>;
  /** The carrier (smtp, mailhouse, sms-gateway) and its reference (Message-ID, batch, message id). */
  provider: Nullable<string>;
  provider_reference: Nullable<string>;
  delivered_on: Nullable<string>;
  /** What delivered_on rests on (shared/letters/delivery.ts); null: presumed by the legal rule. */
  delivery_basis: Nullable<string>;
}
