import type { ApiCaller } from './api-calls.js';
import type { DrillCluster } from './cluster.js';

/** The demo corporation `npm start` and the drills set up, with its built-in collection policy. */
export const drillCorporation = 'woonstad-zuid';

/** A track with one unpaid rent term: it sends its first reminder at once. */
export function openCaseRequest(contractRef: string, dueDate: string) {
  return {
    corporationId: drillCorporation,
    contractRef,
    debtor: { name: 'D. Drill', address: { street: 'Oefenstraat 1', postalCode: '1234 AB', city: 'Oefenstad' } },
    claims: [{ invoiceRef: `${contractRef}-R1`, description: 'Huur', amount: '640.00', dueDate }],
  };
}

/** Opens the track, repeating the same request while the engine is away; answers its case id. */
export async function openTrack(api: ApiCaller, cluster: DrillCluster, contractRef: string, dueDate: string): Promise<{ caseId: string; attempts: number }> {
  const opened = await api.callUntilAnswered('POST', '/v1/cases', cluster.keys.billing, openCaseRequest(contractRef, dueDate));
  if (opened.status !== 201 && opened.status !== 200) throw new Error(`open ${contractRef}: ${opened.status} ${JSON.stringify(opened.body)}`);
  return { caseId: opened.body.caseId, attempts: opened.attempts };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `work` over the items, `concurrency` at a time, as a billing import sends them. */
export async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}
