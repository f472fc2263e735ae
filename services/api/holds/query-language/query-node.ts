export const comparisonOperators = ['=', '!=', '<', '<=', '>', '>='] as const;
export type ComparisonOperator = (typeof comparisonOperators)[number];

/**
 * A parsed hold query. Values are already checked for their attribute and written the way the
 * visibility query needs them (quoted keywords and instants, bare integers).
 */
export type HoldQueryNode =
  | { readonly type: 'and' | 'or'; readonly items: readonly HoldQueryNode[] }
  | { readonly type: 'compare'; readonly attribute: string; readonly operator: ComparisonOperator; readonly value: string }
  | { readonly type: 'in'; readonly attribute: string; readonly negated: boolean; readonly values: readonly string[] }
  | { readonly type: 'null'; readonly attribute: string; readonly negated: boolean };
