import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes that make tracks filterable in the Temporal Web UI, e.g.
 * `CollectionStage = "awaiting_handover" AND CorporationId = "woonstad-zuid"`.
 * They are stored unencrypted: ids, stages and amounts only, never personal data.
 * Money as integer cents (Int), never Double.
 */
export const CollectionStage = defineSearchAttributeKey('CollectionStage', SearchAttributeType.KEYWORD);
export const CorporationId = defineSearchAttributeKey('CorporationId', SearchAttributeType.KEYWORD);
export const DebtorSegment = defineSearchAttributeKey('DebtorSegment', SearchAttributeType.KEYWORD);
export const OutstandingCents = defineSearchAttributeKey('OutstandingCents', SearchAttributeType.INT);
export const NextDeadline = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
export const BailiffOffice = defineSearchAttributeKey('BailiffOffice', SearchAttributeType.KEYWORD);
export const ParkedReason = defineSearchAttributeKey('ParkedReason', SearchAttributeType.KEYWORD);
export const ArrangementStatus = defineSearchAttributeKey('ArrangementStatus', SearchAttributeType.KEYWORD);

export const trackSearchAttributes = [
  CollectionStage,
  CorporationId,
  DebtorSegment,
  OutstandingCents,
  NextDeadline,
  BailiffOffice,
  ParkedReason,
  ArrangementStatus,
] as const;

/** The CLI's `--search-attribute Name=Type` spelling of each key. */
export function searchAttributeCliFlags(): string[] {
  const cliType: Record<string, string> = {
    KEYWORD: 'Keyword',
    INT: 'Int',
    DATETIME: 'Datetime',
    TEXT: 'Text',
    BOOL: 'Bool',
    DOUBLE: 'Double',
    KEYWORD_LIST: 'KeywordList',
  };
  return trackSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}
