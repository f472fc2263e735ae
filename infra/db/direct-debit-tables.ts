import type { ColumnType, Generated } from 'kysely';
import type { DispatchColumns } from './dispatch-columns.js';

/**
 * The tables of the collection service for monthly advances (migration
 * 2026_12_02_10_00_00_direct_debit). Money travels as decimal strings; dates as ISO strings.
 */
type Money = ColumnType<string, string, string>;
type IsoDate = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type AccountMode = 'provider_account' | 'client_account';
export type DirectDebitStatus = 'planned' | 'submitted' | 'collected' | 'rejected' | 'returned' | 'refunded' | 'withheld';
export type DirectDebitRunStatus = 'planned' | 'prenotified' | 'submitted' | 'settled' | 'empty' | 'refused';
export type DirectDebitTaskKind = 'over_max_per_debit' | 'over_max_run_total' | 'no_mandate';

export interface CreditorTable {
  creditor_id: string;
  corporation_id: string;
  name: string;
  initiating_party_name: string;
  creditor_identifier: string;
  iban: string;
  bic: Nullable<string>;
  account_mode: AccountMode;
  pain_version: 'pain.008.001.02' | 'pain.008.001.08';
  collection_day: number;
  collection_day_shift: ColumnType<'earlier' | 'later', 'earlier' | 'later' | undefined, 'earlier' | 'later'>;
  prenotice_days: ColumnType<number, number | undefined, number>;
  max_per_debit: Money;
  max_run_total: Money;
  runs_per_month: number;
  run_interval_days: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OccupancyTable {
  occupancy_id: string;
  creditor_id: string;
  corporation_id: string;
  contract_ref: string;
  unit_ref: string;
  occupant_name: string;
  occupant_street: string;
  occupant_postal_code: string;
  occupant_city: string;
  occupant_email: Nullable<string>;
  occupant_iban: Nullable<string>;
  moved_in_on: IsoDate;
  moved_out_on: Nullable<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** What a mandate version changed against the one before it. */
export interface MandateChange {
  mandateId?: { from: string; to: string };
  iban?: { from: string; to: string };
  /** The new account is at another bank (SMNDA in the file). */
  changedBank?: boolean;
}

export interface OccupancyMandateTable {
  occupancy_id: string;
  version: number;
  mandate_id: string;
  signed_on: IsoDate;
  iban: string;
  bic: Nullable<string>;
  valid_from: IsoDate;
  amended: ColumnType<MandateChange | null, string | null, string | null>;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface OccupancyAdvanceTable {
  advance_id: Generated<string>;
  occupancy_id: string;
  from_month: string;
  amount: Money;
  requested_by: 'client' | 'occupant';
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface DirectDebitRunTable {
  run_id: string;
  creditor_id: string;
  corporation_id: string;
  month: string;
  sequence: number;
  collection_date: IsoDate;
  status: DirectDebitRunStatus;
  message_id: string;
  pain_version: Nullable<string>;
  xml: Nullable<string>;
  file_path: Nullable<string>;
  /** The creditor identifier the file went under (migration 2026_12_03_30_00_00). */
  creditor_identifier: Nullable<string>;
  submitted_at: Nullable<Date>;
  count: ColumnType<number, number | undefined, number>;
  total: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
}

/** The amendment a debit carries (`AmdmntInd` true), as `MandateAmendment` of the pain.008 layer. */
export interface DebitAmendment {
  originalMandateId?: string;
  /** The creditor identifier the debtor's bank last saw on this mandate (OrgnlCdtrSchmeId). */
  originalCreditorIdentifier?: string;
  originalDebtorIban?: string;
  changedBank?: boolean;
}

export interface DirectDebitTable {
  end_to_end_id: string;
  run_id: string;
  creditor_id: string;
  corporation_id: string;
  occupancy_id: string;
  month: string;
  attempt: number;
  amount: Money;
  collection_date: IsoDate;
  sequence_type: string;
  status: DirectDebitStatus;
  reason_code: Nullable<string>;
  mandate_version: number;
  amendment: ColumnType<DebitAmendment | null, string | null | undefined, string | null>;
  withheld_reason: Nullable<string>;
  created_at: Timestamp;
}

export interface DirectDebitTaskTable {
  task_id: string;
  creditor_id: string;
  corporation_id: string;
  occupancy_id: string;
  month: string;
  end_to_end_id: Nullable<string>;
  kind: DirectDebitTaskKind;
  amount: Money;
  limit_amount: Nullable<string>;
  message: string;
  status: ColumnType<'open' | 'done', 'open' | 'done' | undefined, 'open' | 'done'>;
  created_at: Timestamp;
}

/** A month's pre-notification: stored with its text and PDF, dispatched exactly once like a letter (migration 2026_12_03_80_00_00). */
export interface DirectDebitPrenoticeTable extends DispatchColumns {
  occupancy_id: string;
  month: string;
  letter_id: string;
  channel: string;
  amount: Money;
  collection_date: IsoDate;
  sent_at: Timestamp;
  /** Null for notices from before they were PDFs. */
  posted_on: Nullable<string>;
  template_version: Nullable<string>;
  body: Nullable<string>;
  pdf: Nullable<Buffer>;
  sha256: Nullable<string>;
  pages: Nullable<number>;
}

/** A month's advance paid another way (migration 2026_12_03_30_10_00). */
export interface AdvancePaidOtherwiseTable {
  occupancy_id: string;
  month: string;
  amount: Money;
  paid_on: IsoDate;
  reference: string;
  /** End-to-end ids of the month's planned debits taken out of their runs. */
  withdrawn_debits: ColumnType<string[], string | undefined, string>;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface DirectDebitTables {
  creditor: CreditorTable;
  occupancy: OccupancyTable;
  occupancy_mandate: OccupancyMandateTable;
  occupancy_advance: OccupancyAdvanceTable;
  direct_debit_run: DirectDebitRunTable;
  direct_debit: DirectDebitTable;
  direct_debit_task: DirectDebitTaskTable;
  direct_debit_prenotice: DirectDebitPrenoticeTable;
  advance_paid_otherwise: AdvancePaidOtherwiseTable;
}
