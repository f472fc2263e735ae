import type { BenchSection } from './harness/figure.js';

/**
 * Every section of `npm run bench`, in the order they run. `npm run bench -- <name> ...` runs
 * only the named ones. Add a section with one line here.
 */
export const benchSections: ReadonlyArray<{ readonly name: string; readonly run: BenchSection }> = [
  { name: 'legal-core', run: async (options) => (await import('./legal-core.js')).legalCoreSection(options) },
  { name: 'codec', run: async (options) => (await import('./payload-codec.js')).payloadCodecSection(options) },
  { name: 'letters', run: async (options) => (await import('./letter-rendering.js')).letterRenderingSection(options) },
  { name: 'direct-debit-file', run: async (options) => (await import('./direct-debit-file.js')).directDebitFileSection(options) },
  { name: 'intake', run: async (options) => (await import('./intake.js')).intakeSection(options) },
  { name: 'history', run: async (options) => (await import('./history-footprint.js')).historyFootprintSection(options) },
  { name: 'worker-settings', run: async (options) => (await import('./worker-settings.js')).workerSettingsSection(options) },
  { name: 'bulk-intake', run: async (options) => (await import('./bulk-intake.js')).bulkIntakeSection(options) },
  { name: 'bank-import', run: async (options) => (await import('./bank-import.js')).benchBankImport(options) },
  { name: 'portfolio-year', run: async (options) => (await import('./portfolio-year/index.js')).portfolioYear(options) },
  { name: 'payment-latency', run: async (options) => (await import('./payment-latency.js')).benchPaymentLatency(options) },
];
