import type { ColumnType } from 'kysely';

/** The tables of payment links (migration 2026_12_02_20_00_00_payment_links). */
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type PaymentLinkStatus = 'open' | 'paid' | 'expired' | 'canceled' | 'failed';

/** A link to pay a case's debt at the payment provider; booked on the track once, when paid. */
export interface PaymentLinkTable {
  link_id: string;
  corporation_id: string;
  case_id: string;
  /** The provider's payment id (`tr_…`): what its webhook names, and the payment's identity on the track. */
  provider_payment_id: string;
  amount: ColumnType<string, string, string>;
  checkout_url: string;
  status: PaymentLinkStatus;
  expires_at: ColumnType<Date, string, string>;
  created_by: string;
  created_at: ColumnType<Date, never, never>;
  paid_at: Nullable<Date | string>;
  /** The payment on the track, once booked. */
  transaction_id: Nullable<string>;
  booked_on: Nullable<string>;
  /** The track refused the payment (the case closed meanwhile): it needs a person (a refund). */
  refusal: Nullable<string>;
}

export interface PaymentLinkTables {
  payment_link: PaymentLinkTable;
}
