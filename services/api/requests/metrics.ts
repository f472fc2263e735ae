import { defineRoute } from './route-contract.js';

export const metricsContracts = {
  metrics: defineRoute({
    operationId: 'metrics',
    method: 'get',
    path: '/metrics',
    // Counts by route pattern and status, never an id or a name: the scraper needs no key. In a
    // cluster the ingress does not route it (README, "Metrics and logs").
    access: 'public',
    scope: 'none',
    audit: 'none',
    summary: 'Prometheus metrics of this API process: requests by route and status, latencies, messages to tracks, bank entries',
    responses: { 200: { description: 'the Prometheus text exposition format', mediaType: 'text/plain' } },
  }),
} as const;
