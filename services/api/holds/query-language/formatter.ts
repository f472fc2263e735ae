import type { HoldQueryNode } from './query-node.js';

/** The canonical text of a parsed query: what is stored and what Temporal gets. */
export function formatHoldQuery(node: HoldQueryNode, parent?: 'and' | 'or'): string {
  switch (node.type) {
    case 'and':
    case 'or': {
      const text = node.items.map((item) => formatHoldQuery(item, node.type)).join(node.type === 'and' ? ' AND ' : ' OR ');
      return parent && parent !== node.type ? `(${text})` : text;
    }
    case 'compare':
      return `${node.attribute} ${node.operator} ${node.value}`;
    case 'in':
      return `${node.attribute} ${node.negated ? 'NOT IN' : 'IN'} (${node.values.join(', ')})`;
    case 'null':
      return `${node.attribute} IS ${node.negated ? 'NOT NULL' : 'NULL'}`;
  }
}
