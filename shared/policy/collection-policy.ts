/**
 * How a corporation runs its amicable phase. The law fixes the WIK term; everything else here is
 * the corporation's choice (domain.md §1) and is recorded with every step a track takes.
 */
export interface CollectionPolicy {
  readonly version: string;
  /** Days after default (the day after the due date) before the first reminder goes out. */
  readonly firstReminderAfterDefaultDays: number;
  /** Days after the reminder before the 14-day (WIK) letter goes out. */
  readonly wikLetterAfterReminderDays: number;
  /** No WIK letter for arrears below this amount. */
  readonly wikMinimumArrears: string;
}

export const defaultCollectionPolicy: CollectionPolicy = {
  version: 'default@1',
  firstReminderAfterDefaultDays: 5,
  wikLetterAfterReminderDays: 14,
  wikMinimumArrears: '0.01',
};
