import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * The bench's yardstick (bench/intake.ts), not part of the product: what the engine alone does on
 * the same server and worker. It is opened the way a track is (update-with-start) and then waits
 * the way a track waits (a long timer, or a message); it calls no activity and keeps no state.
 */
export const benchBaselineRegister = defineUpdate<number, [{ readonly items: number }]>('benchBaselineRegister');
export const benchBaselineStop = defineSignal('benchBaselineStop');

export async function benchBaseline(): Promise<number> {
  let items = 0;
  let stopped = false;
  setHandler(benchBaselineRegister, (request) => (items += request.items));
  setHandler(benchBaselineStop, () => void (stopped = true));
  await condition(() => stopped, '30 days');
  return items;
}
