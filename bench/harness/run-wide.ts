/**
 * What one `npm run bench` run starts once and every section uses (issue 15: `--quick` in under
 * two minutes): the workflow bundle, the Temporal dev server, the embedded Postgres. Each starts
 * on first use, so a run of one section starts only what that section needs; the runner stops
 * them all at the end. Its start counts in the section that used it first; runWideSetUp() says
 * how long each took, so the table's notes can tell that apart from the section's own work.
 */
interface Started {
  readonly value: unknown;
  stop(): Promise<void>;
}

const running = new Map<string, Promise<Started>>();
const setUp: { label: string; ms: number }[] = [];

export function runWide<T>(label: string, start: () => Promise<{ readonly value: T; stop(): Promise<void> }>): Promise<T> {
  let entry = running.get(label);
  if (!entry) {
    const t0 = performance.now();
    entry = start().then((started) => {
      setUp.push({ label, ms: performance.now() - t0 });
      return started;
    });
    running.set(label, entry);
    // A start that failed is tried again by the next section that needs it.
    entry.catch(() => running.delete(label));
  }
  return entry.then((started) => started.value as T);
}

/** How long each run-wide part took to start, in the order they started. */
export function runWideSetUp(): readonly { readonly label: string; readonly ms: number }[] {
  return setUp;
}

/** Stops every run-wide part, the last started first (the dev server before nothing it depends on). */
export async function stopRunWide(): Promise<void> {
  const entries = [...running.values()].reverse();
  running.clear();
  for (const entry of entries) {
    const started = await entry.catch(() => null);
    await started?.stop().catch((error: unknown) => process.stderr.write(`[bench] stopping a shared part: ${String(error)}\n`));
  }
}
