import type { Migration } from 'kysely';
import * as createCoreTables from './2026_11_23_00_00_00_create_core_tables.js';
import * as createPaymentReferenceSequence from './2026_11_23_00_01_00_create_payment_reference_sequence.js';
import * as addBailiffHandover from './2026_11_23_01_00_00_add_bailiff_handover.js';
import * as createCollectionPolicy from './2026_11_23_02_00_00_create_collection_policy.js';
import * as createTasksAndEarlyWarning from './2026_11_23_03_00_00_create_tasks_and_early_warning.js';
import * as createHolds from './2026_11_23_04_00_00_create_holds.js';
import * as createClaimFiling from './2026_11_23_05_00_00_create_claim_filing.js';
import * as addDisputeTasks from './2026_11_23_06_00_00_add_dispute_tasks.js';
import * as createCaseEvent from './2026_11_23_07_00_00_create_case_event.js';
import * as paymentProjection from './2026_12_01_00_00_00_payment_projection.js';
import * as debtorVersionsAndCaseStage from './2026_12_01_01_00_00_debtor_versions_and_case_stage.js';
import * as retention from './2026_12_01_13_00_00_retention.js';
import * as keysOfPeopleAndCorporations from './2026_12_01_10_00_00_keys_of_people_and_corporations.js';
import * as corporationLayout from './2026_12_01_20_00_00_corporation_layout.js';
import * as bankEntries from './2026_12_01_21_00_00_bank_entries.js';
import * as letterDispatchAndConsent from './2026_12_02_30_00_00_letter_dispatch_and_consent.js';
import * as directDebit from './2026_12_02_10_00_00_direct_debit.js';
import * as bankEntryDirectDebitFate from './2026_12_02_11_00_00_bank_entry_direct_debit_fate.js';
import * as opsSessions from './2026_12_02_40_00_00_ops_sessions.js';
import * as paymentLinks from './2026_12_02_20_00_00_payment_links.js';
import * as bankEntryRetention from './2026_12_02_20_10_00_bank_entry_retention.js';
import * as bankEntrySettlingClaim from './2026_12_02_50_00_00_bank_entry_settling_claim.js';
import * as letterPolicyVersionAndLogo from './2026_12_03_20_00_00_letter_policy_version_and_logo.js';
import * as directDebitRunCreditorIdentifier from './2026_12_03_30_00_00_direct_debit_run_creditor_identifier.js';
import * as advancePaidOtherwise from './2026_12_03_30_10_00_advance_paid_otherwise.js';
import * as prenoticeDispatch from './2026_12_03_80_00_00_prenotice_dispatch.js';
import * as debtorIbanLookup from './2026_12_04_00_00_00_debtor_iban_lookup.js';

/**
 * Every migration, by name, in order. Listed here rather than read from the folder at run time,
 * so migrations load the same way under tsx, vitest and a bundled build.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_23_00_00_00_create_core_tables': createCoreTables,
  '2026_11_23_00_01_00_create_payment_reference_sequence': createPaymentReferenceSequence,
  '2026_11_23_01_00_00_add_bailiff_handover': addBailiffHandover,
  '2026_11_23_02_00_00_create_collection_policy': createCollectionPolicy,
  '2026_11_23_03_00_00_create_tasks_and_early_warning': createTasksAndEarlyWarning,
  '2026_11_23_04_00_00_create_holds': createHolds,
  '2026_11_23_05_00_00_create_claim_filing': createClaimFiling,
  '2026_11_23_06_00_00_add_dispute_tasks': addDisputeTasks,
  '2026_11_23_07_00_00_create_case_event': createCaseEvent,
  '2026_12_01_00_00_00_payment_projection': paymentProjection,
  '2026_12_01_01_00_00_debtor_versions_and_case_stage': debtorVersionsAndCaseStage,
  '2026_12_01_13_00_00_retention': retention,
  '2026_12_01_10_00_00_keys_of_people_and_corporations': keysOfPeopleAndCorporations,
  '2026_12_01_20_00_00_corporation_layout': corporationLayout,
  '2026_12_01_21_00_00_bank_entries': bankEntries,
  '2026_12_02_30_00_00_letter_dispatch_and_consent': letterDispatchAndConsent,
  '2026_12_02_10_00_00_direct_debit': directDebit,
  '2026_12_02_11_00_00_bank_entry_direct_debit_fate': bankEntryDirectDebitFate,
  '2026_12_02_40_00_00_ops_sessions': opsSessions,
  '2026_12_02_20_00_00_payment_links': paymentLinks,
  '2026_12_02_20_10_00_bank_entry_retention': bankEntryRetention,
  '2026_12_02_50_00_00_bank_entry_settling_claim': bankEntrySettlingClaim,
  '2026_12_03_20_00_00_letter_policy_version_and_logo': letterPolicyVersionAndLogo,
  '2026_12_03_30_00_00_direct_debit_run_creditor_identifier': directDebitRunCreditorIdentifier,
  '2026_12_03_30_10_00_advance_paid_otherwise': advancePaidOtherwise,
  '2026_12_03_80_00_00_prenotice_dispatch': prenoticeDispatch,
  '2026_12_04_00_00_00_debtor_iban_lookup': debtorIbanLookup,
};
