import { z } from 'zod';
import { lazySchema } from '../validation/lazy-schema.js';
import { moneyString } from '../money.js';
import { segments, type Segment } from '../track/stages.js';

/**
 * How a corporation runs its amicable phase (domain.md §1). The law fixes the 14-day term and the
 * costs; everything here is the corporation's choice. Policies are stored in Postgres, versioned
 * (a new version per change, never edited in place), and a track records which version governed
 * each step it took.
 */

/** Where a message to the tenant goes; the letter service has a drop folder per channel. */
export const messageChannels = ['post', 'email', 'sms', 'whatsapp', 'payment_link'] as const;
export type MessageChannel = (typeof messageChannels)[number];

const days = (max: number) => z.number().int().min(0).max(max);

/** A task for a person (call round, home visit): opened on a day, gone after its days. */
export const taskPolicySchema = lazySchema(() => z.object({
  /** Days after default (the day after the oldest open claim's due date) the task is opened. */
  afterDefaultDays: days(120),
  /** Days the task stays on the worklist before it expires without an outcome. */
  expiresAfterDays: z.number().int().min(1).max(60),
}));
export type TaskPolicy = z.infer<typeof taskPolicySchema>;

export const segmentPolicySchema = lazySchema(() => z
  .object({
    /** A payment request before the due date; null: none for this segment. */
    prenotice: z.object({ daysBeforeDue: z.number().int().min(1).max(30), channel: z.enum(messageChannels) }).nullable(),
    /** The reminder ladder, by days after default, strictly increasing. */
    reminders: z
      .array(z.object({ afterDefaultDays: days(120), channel: z.enum(messageChannels) }))
      .min(1)
      .max(6)
      .refine((ladder) => ladder.every((step, i) => i === 0 || step.afterDefaultDays > ladder[i - 1]!.afterDefaultDays), {
        message: 'reminder days must increase',
      }),
    callRound: taskPolicySchema.nullable(),
    homeVisit: taskPolicySchema.nullable(),
    /** Days after the last reminder of the ladder before the 14-day (WIK) letter goes out. */
    wikLetterAfterLastReminderDays: days(120),
    /** No 14-day letter while the arrears stay below this amount; the track waits for more. */
    wikMinimumArrears: moneyString,
    /** Whether hand-over to the bailiff needs a second person's approval (four-eyes). */
    handoverNeedsApproval: z.boolean(),
  })
  .strict());
export type SegmentPolicy = z.infer<typeof segmentPolicySchema>;

export const arrangementRulesSchema = lazySchema(() => z
  .object({
    /** The last instalment falls at most this many months after the first. */
    maxMonths: z.number().int().min(1).max(60),
    minInstalment: moneyString,
    /** The current month's rent must be paid before an arrangement for the arrears is made. */
    currentRentMustBePaid: z.boolean(),
    /** At most this many arrangements in any 12 months (a breached one counts). */
    maxPerTwelveMonths: z.number().int().min(1).max(12),
    /** Days after an instalment's due date before a shortfall counts as a breach. */
    graceDays: days(30),
    /** Days before each instalment's due date that the tenant gets a reminder. */
    reminderDaysBefore: days(14),
  })
  .strict());
export type ArrangementRules = z.infer<typeof arrangementRulesSchema>;

/** Agreed with each municipality (domain.md §7): commonly 30–100 days of arrears. */
export const earlyWarningTimingSchema = lazySchema(() => z.object({ afterDefaultDays: z.number().int().min(1).max(365), minimumArrears: moneyString }).strict());
export type EarlyWarningTiming = z.infer<typeof earlyWarningTimingSchema>;

/** CBS municipality code, as the matching platform routes by it (e.g. GM0363 for Amsterdam). */
export const municipalityCodeSchema = lazySchema(() => z.string().regex(/^GM\d{4}$/, 'a CBS municipality code such as GM0363'));

export const collectionPolicySchema = lazySchema(() => z
  .object({
    /** Applies to a segment without its own entry, and to every track until its segment is confirmed. */
    defaultSegment: segmentPolicySchema,
    segments: z.partialRecord(z.enum(segments), segmentPolicySchema).default({}),
    arrangement: arrangementRulesSchema,
    earlyWarning: z
      .object({
        /** For municipalities without an agreement of their own. */
        default: earlyWarningTimingSchema,
        municipalities: z.record(municipalityCodeSchema, earlyWarningTimingSchema).default({}),
      })
      .strict(),
  })
  .strict());
export type CollectionPolicy = z.infer<typeof collectionPolicySchema>;

/** A stored policy: the version a track records with each step. */
export interface VersionedPolicy {
  readonly corporationId: string;
  /** 0 is the built-in default (no policy stored yet); stored versions count from 1. */
  readonly version: number;
  readonly policy: CollectionPolicy;
}

/** Segments are a person's call (domain.md §1): the proposed one never chooses the ladder. */
export function segmentPolicyFor(policy: CollectionPolicy, confirmedSegment: Segment | null): SegmentPolicy {
  return (confirmedSegment && policy.segments[confirmedSegment]) || policy.defaultSegment;
}

export function earlyWarningTimingFor(policy: CollectionPolicy, municipalityCode: string | null): EarlyWarningTiming {
  return (municipalityCode && policy.earlyWarning.municipalities[municipalityCode]) || policy.earlyWarning.default;
}

/**
 * What a corporation gets until it stores its own: the common practice of the sector (one letter
 * reminder five days after default, a second by e-mail, a call round, the 14-day letter two weeks
 * after the last reminder), arrangements of at most 12 months, early warning after 60 days.
 */
export const defaultCollectionPolicy: CollectionPolicy = {
  defaultSegment: {
    prenotice: null,
    reminders: [
      { afterDefaultDays: 5, channel: 'post' },
      { afterDefaultDays: 12, channel: 'email' },
    ],
    callRound: { afterDefaultDays: 15, expiresAfterDays: 7 },
    homeVisit: null,
    wikLetterAfterLastReminderDays: 9,
    wikMinimumArrears: '0.01',
    handoverNeedsApproval: true,
  },
  segments: {},
  arrangement: {
    maxMonths: 12,
    minInstalment: '25.00',
    currentRentMustBePaid: true,
    maxPerTwelveMonths: 1,
    graceDays: 5,
    reminderDaysBefore: 3,
  },
  earlyWarning: { default: { afterDefaultDays: 60, minimumArrears: '0.01' }, municipalities: {} },
};
