import type { ColumnType, Generated } from 'kysely';
import type { BankEntryFate, BankEntryMatchRule } from '../../shared/bank/bank-entry.js';
import type { LogoType } from '../../shared/letters/logo.js';
import type { ClosedReason, Stage } from '../../shared/track/stages.js';
import type { TaskStatus } from '../../shared/track/task-messages.js';
import type { DirectDebitTables } from './direct-debit-tables.js';
import type { PaymentLinkTables } from './payment-link-tables.js';

/**
 * The relational half of the system's state. Temporal holds each track's control state; this
 * holds what must not be in workflow history (personal data) and what other parties need to
 * look up (letters, payments, keys). Money columns are numeric and travel as strings.
 */
type Money = ColumnType<string, string, string>;
type IsoDateColumn = ColumnType<string, string, string>;
type CreatedAt = ColumnType<Date, never, never>;

export interface CorporationTable {
  corporation_id: string;
  name: string;
  /** Outside VAT-charging collection service whose VAT cannot be deducted (domain.md §2). */
  vat_surcharge: boolean;
  /** The bailiff office this corporation hands cases to. */
  bailiff_office_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** For the per-unit KPIs; null until the corporation says. */
  rented_units: ColumnType<number | null, number | null | undefined, number | null>;
  /** Years a closed case's personal data is kept before it is anonymised (default 7). */
  retention_years: ColumnType<number, number | undefined, number>;
  /** The letterhead: address and contact lines, printed top right on every letter. */
  address_lines: ColumnType<string[], string | undefined, string>;
  contact_lines: ColumnType<string[], string | undefined, string>;
  /** The account tenants pay to (mod-97 checked); null until the corporation sets it. */
  iban: ColumnType<string | null, string | null | undefined, string | null>;
  bic: ColumnType<string | null, string | null | undefined, string | null>;
  /** Send 14-day letters as registered post (aangetekend), for proof of delivery. */
  wik_letter_registered: ColumnType<boolean, boolean | undefined, boolean>;
  /** The letterhead's logo (PNG or JPEG, checked by its magic bytes at the edge) and its type. */
  logo: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  logo_type: ColumnType<LogoType | null, LogoType | null | undefined, LogoType | null>;
  created_at: CreatedAt;
}

export interface CaseTable {
  case_id: string;
  corporation_id: string;
  contract_ref: string;
  workflow_id: string;
  proposed_segment: string;
  /** Set at hand-over: the one office whose key may see and report on this case. */
  bailiff_office_id: ColumnType<string | null, string | null | undefined, string | null>;
  handed_over_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** The stage its track last wrote with its read-model events; null until it has. */
  stage: ColumnType<Stage | null, Stage | null | undefined, Stage | null>;
  closed_reason: ColumnType<ClosedReason | null, ClosedReason | null | undefined, ClosedReason | null>;
  /** The day the track closed (the read model writes it); null while the case is open. */
  closed_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** The day its personal data was anonymised after the retention period (activities/retention.ts). */
  anonymised_on: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface BailiffInstructionTable {
  idempotency_key: string;
  case_id: string;
  office_id: string;
  instruction: string;
  detail: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
}

/** Free-text notes (an exception's background, a dispute): kept here, never in workflow history. */
export interface CaseNoteTable {
  note_id: Generated<string>;
  case_id: string;
  topic: string;
  actor: string;
  note: string;
  created_at: CreatedAt;
}

/** Personal data, one row per case, erasable on its own (AVG). */
export interface DebtorTable {
  case_id: string;
  name: string;
  street: string;
  postal_code: string;
  city: string;
  email: string | null;
  phone: string | null;
  iban: string | null;
  bsn: string | null;
  /** The debtor_version these details are. */
  version: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, never, Date>;
}

/** Every version of a case's debtor details, the current one included (the debtor row). */
export interface DebtorVersionTable {
  case_id: string;
  version: number;
  name: string;
  street: string;
  postal_code: string;
  city: string;
  email: string | null;
  phone: string | null;
  iban: string | null;
  bsn: string | null;
  changed_by: string;
  changed_at: ColumnType<Date, Date | undefined, never>;
}

export interface ClaimTable {
  case_id: string;
  invoice_ref: string;
  description: string;
  amount: Money;
  due_date: IsoDateColumn;
  received_at: CreatedAt;
}

/** What the tracks booked (their projection, written by the track's read-model activity). */
export interface PaymentTable {
  transaction_id: string;
  case_id: string;
  amount: Money;
  booked_on: IsoDateColumn;
  reversed_on: ColumnType<string | null, string | null | undefined, string | null>;
  reversal_reason: ColumnType<string | null, string | null | undefined, string | null>;
  received_at: CreatedAt;
}

export interface LetterTable {
  letter_id: string;
  idempotency_key: string;
  case_id: string;
  kind: string;
  channel: string;
  posted_on: IsoDateColumn;
  delivered_on: IsoDateColumn | null;
  template: string;
  body: string;
  facts: ColumnType<unknown, string, string>;
  /** The debtor_version the letter was addressed with; null for letters from before the history. */
  debtor_version: ColumnType<number | null, number | null | undefined, number | null>;
  /** The PDF as sent (null for short messages and letters from before PDFs), its SHA-256 and pages. */
  pdf: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  sha256: ColumnType<string | null, string | null | undefined, string | null>;
  pages: ColumnType<number | null, number | null | undefined, number | null>;
  /** Dispatch, exactly once (services/letters/dispatch/dispatch-once.ts): pending → sending → sent. */
  dispatch_state: ColumnType<'pending' | 'sending' | 'sent', 'pending' | 'sending' | 'sent' | undefined, 'pending' | 'sending' | 'sent'>;
  dispatch_attempts: ColumnType<number, number | undefined, number>;
  sending_since: ColumnType<Date | null, Date | null | undefined, Date | null>;
  dispatched_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The carrier (smtp, mailhouse, sms-gateway) and its reference (Message-ID, batch, message id). */
  provider: ColumnType<string | null, string | null | undefined, string | null>;
  provider_reference: ColumnType<string | null, string | null | undefined, string | null>;
  /** What delivered_on rests on (shared/letters/delivery.ts); null: presumed by the legal rule. */
  delivery_basis: ColumnType<string | null, string | null | undefined, string | null>;
  delivery_evidence: ColumnType<string | null, string | null | undefined, string | null>;
  tracking_code: ColumnType<string | null, string | null | undefined, string | null>;
  delivery_reported_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The collection policy version the track sent the letter under; null for letters from before. */
  policy_version: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: CreatedAt;
}

/** The tenant's consent per digital channel (no consent: post). */
export interface DebtorConsentTable {
  case_id: string;
  email: boolean;
  sms: boolean;
  whatsapp: boolean;
  recorded_by: string;
  recorded_at: ColumnType<Date, Date | undefined, Date>;
}

export interface PaymentReferenceTable {
  case_id: string;
  reference: string;
  created_at: CreatedAt;
}

export interface MunicipalitySignalTable {
  signal_id: string;
  idempotency_key: string;
  case_id: string;
  kind: string;
  arrears: Money;
  signal_date: IsoDateColumn;
  receipt: string;
  created_at: CreatedAt;
}

export interface BailiffOfficeTable {
  office_id: string;
  name: string;
}

export interface ApiKeyTable {
  key_hash: string;
  /** The key's public name: in listings, audit entries and DELETE /v1/api-keys/:keyId. */
  key_id: Generated<string>;
  role: string;
  bailiff_office_id: string | null;
  label: string;
  /** Whom the key was given to: four-eyes compares people, not keys. */
  person: string;
  /** The corporations whose cases the key may touch; empty on a platform admin key (all) and a bailiff key (its office). */
  corporation_ids: ColumnType<string[], string[] | undefined, string[]>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  audit_id: Generated<string>;
  at: CreatedAt;
  /** As the tracks record the person (auth.ts personActor). */
  actor: string;
  /** The route's operationId. */
  action: string;
  case_id: string | null;
  detail: ColumnType<unknown, string, string>;
  /** 'decision' or 'personal-data-read'; null on entries from before the audit trail had kinds. */
  kind: string | null;
  person: string | null;
  key_id: string | null;
  /** Null for what concerns no one corporation (a platform admin key). */
  corporation_id: string | null;
}

/** A call round or home visit on a person's worklist (domain.md §1 A.2); the note stays here. */
export interface TaskTable {
  task_id: string;
  case_id: string;
  corporation_id: string;
  kind: 'call' | 'visit' | 'dispute';
  status: ColumnType<TaskStatus, TaskStatus | undefined, TaskStatus>;
  opened_on: IsoDateColumn;
  expires_on: IsoDateColumn;
  arrears: Money;
  outcome: ColumnType<string | null, string | null | undefined, string | null>;
  promised_on: ColumnType<string | null, string | null | undefined, string | null>;
  note: ColumnType<string | null, string | null | undefined, string | null>;
  completed_by: ColumnType<string | null, string | null | undefined, string | null>;
  completed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  closed_on: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

/** The early-warning signal with the evidence courts ask for (domain.md §7), by id. */
export interface EarlyWarningSignalTable {
  signal_id: string;
  idempotency_key: string;
  case_id: string;
  corporation_id: string;
  municipality_code: string | null;
  arrears: Money;
  in_default_since: IsoDateColumn;
  signal_date: IsoDateColumn;
  reminder_letter_ids: ColumnType<string[], string[] | undefined, string[]>;
  contact_task_ids: ColumnType<string[], string[] | undefined, string[]>;
  receipt: string;
  sent_at: ColumnType<Date, Date | undefined, Date>;
}

/** The tenant objected to the early-warning signal; the note stays here, never in the workflow. */
export interface EarlyWarningObjectionTable {
  objection_id: Generated<string>;
  case_id: string;
  objected_on: IsoDateColumn;
  note: string | null;
  recorded_by: string;
  recorded_at: CreatedAt;
}

/** A segment-wide hold of a corporation's tracks; the reason stays here, never in Temporal. */
export interface HoldTable {
  hold_id: string;
  corporation_id: string;
  segment: string | null;
  visibility_query: string | null;
  reason: string | null;
  from_date: IsoDateColumn;
  released_on: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string;
  released_by: ColumnType<string | null, string | null | undefined, string | null>;
  start_batch_job_id: ColumnType<string | null, string | null | undefined, string | null>;
  release_batch_job_id: ColumnType<string | null, string | null | undefined, string | null>;
  start_matched: ColumnType<number | null, number | null | undefined, number | null>;
  release_matched: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: CreatedAt;
}

export interface CollectionPolicyTable {
  corporation_id: string;
  version: number;
  /** The policy as collectionPolicySchema parses it; pg returns jsonb parsed. */
  policy: ColumnType<unknown, string, never>;
  created_by: string;
  created_at: ColumnType<Date, never, never>;
}

export interface ClaimFilingTable {
  idempotency_key: string;
  filing_id: string;
  case_id: string;
  proceeding: 'wsnp' | 'bankruptcy';
  ruling_date: string;
  principal: string;
  interest: string;
  costs: string;
  total: string;
  filed_on: string;
  created_at: ColumnType<Date, never, never>;
}

export interface CaseEventTable {
  event_key: string;
  case_id: string;
  corporation_id: string;
  kind: string;
  occurred_on: string;
  amount: string | null;
  since: string | null;
  recorded_at: ColumnType<Date, never, never>;
}

/** One run of the retention job: the day it ran for and how many cases it anonymised. */
export interface RetentionRunTable {
  run_key: string;
  ran_on: IsoDateColumn;
  anonymised: number;
  recorded_at: ColumnType<Date, never, never>;
}

/** One bank file imported (issue 12); counts as the import answered them. */
export interface BankImportTable {
  import_id: string;
  corporation_id: string;
  format: string;
  message_id: string;
  imported_by: string;
  counts: ColumnType<BankImportCounts, string, string>;
  created_at: CreatedAt;
}

export interface BankImportCounts {
  entries: number;
  new: number;
  matched: number;
  unmatched: number;
  duplicates: number;
  reversals: number;
  /** Lines that are our own direct debits (returns and refunds told to the advance account, the run's credits), or a pain.002's new rejects. */
  directDebits: number;
}

/** One booking line of a bank file, stored once under its entry_key (services/bank/import). */
export interface BankEntryTable {
  entry_id: string;
  entry_key: string;
  corporation_id: string;
  first_import_id: string;
  account_iban: string;
  booking_date: IsoDateColumn;
  amount: Money;
  currency: string;
  direction: 'CRDT' | 'DBIT';
  reversal: boolean;
  bank_tx_code: string | null;
  return_reason: string | null;
  end_to_end_id: string | null;
  structured_ref: string | null;
  free_text: string | null;
  counter_iban: string | null;
  counter_name: string | null;
  fate: BankEntryFate;
  match_rule: BankEntryMatchRule | null;
  case_id: string | null;
  transaction_id: string | null;
  reverses_transaction_id: string | null;
  resolved_by: string | null;
  created_at: CreatedAt;
  /** The day the retention job scrubbed its counterparty and free text (migration 2026_12_02_20_10_00). */
  anonymised_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** The import settling the line while it is pending, and since when (a lease: see statement-import.ts). */
  settling_import_id: ColumnType<string | null, string | null | undefined, string | null>;
  settling_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface BankImportEntryTable {
  import_id: string;
  entry_id: string;
  duplicate: boolean;
}

/** A signed-in session of the operations page (services/api/ops/); the cookie's secret is stored hashed. */
export interface OpsSessionTable {
  session_hash: string;
  key_id: string;
  csrf_token: string;
  expires_at: Date;
  created_at: CreatedAt;
}

export interface Database extends DirectDebitTables, PaymentLinkTables {
  bank_import: BankImportTable;
  bank_entry: BankEntryTable;
  bank_import_entry: BankImportEntryTable;
  corporation: CorporationTable;
  collection_case: CaseTable;
  debtor: DebtorTable;
  debtor_version: DebtorVersionTable;
  claim: ClaimTable;
  payment: PaymentTable;
  letter: LetterTable;
  debtor_consent: DebtorConsentTable;
  payment_reference: PaymentReferenceTable;
  municipality_signal: MunicipalitySignalTable;
  bailiff_office: BailiffOfficeTable;
  api_key: ApiKeyTable;
  audit_log: AuditLogTable;
  bailiff_instruction: BailiffInstructionTable;
  case_note: CaseNoteTable;
  task: TaskTable;
  early_warning_signal: EarlyWarningSignalTable;
  early_warning_objection: EarlyWarningObjectionTable;
  hold: HoldTable;
  collection_policy: CollectionPolicyTable;
  claim_filing: ClaimFilingTable;
  case_event: CaseEventTable;
  retention_run: RetentionRunTable;
  ops_session: OpsSessionTable;
}
