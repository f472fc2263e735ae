import { trackSearchAttributes } from '../../../../shared/search-attributes.js';
import { exceptionKinds } from '../../../../shared/track/decisions.js';
import { segments, stages } from '../../../../shared/track/stages.js';

export type AttributeKind = 'keyword' | 'int' | 'datetime';
export interface QueryAttribute {
  readonly kind: AttributeKind;
  /** The only values a keyword attribute takes, where the project fixes them. */
  readonly values?: readonly string[];
}

const knownValues: Record<string, readonly string[]> = { CollectionStage: stages, DebtorSegment: segments, ParkedReason: exceptionKinds };
const kindOfType: Partial<Record<string, AttributeKind>> = { KEYWORD: 'keyword', INT: 'int', DATETIME: 'datetime' };

/**
 * The attributes a hold's query may use: the track's search attributes but CorporationId (the hold
 * names the corporation, and a query must not reach past it).
 */
export const holdQueryAttributes: Readonly<Record<string, QueryAttribute>> = Object.fromEntries(
  trackSearchAttributes
    .filter((key) => key.name !== 'CorporationId' && kindOfType[key.type])
    .map((key) => [key.name, { kind: kindOfType[key.type]!, ...(knownValues[key.name] ? { values: knownValues[key.name] } : {}) }]),
);
