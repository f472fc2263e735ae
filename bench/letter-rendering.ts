/**
 * Letters rendered per second on one core: a 14-day letter (two claims, letterhead, payment box
 * with QR code) rendered after 10 warm-ups, and the size of one such PDF.
 */
import { renderLetterPdf } from '../services/letters/templates/letter-pdf.js';
import { templateVersions, type LetterContext } from '../services/letters/templates/render-letter.js';
import type { BenchSection } from './harness/figure.js';

const reference = '2026000000012345';
const wik: LetterContext = {
  kind: 'wik',
  channel: 'post',
  recipient: { name: 'T. Testhuurder', street: 'Proefstraat 1', postalCode: '1234 AB', city: 'Utrecht' },
  claims: [
    { invoiceRef: 'R-2026-10', description: 'Huur oktober', amount: '812.50', dueDate: '2026-10-01' },
    { invoiceRef: 'R-2026-11', description: 'Huur november', amount: '812.50', dueDate: '2026-11-01' },
  ],
  facts: { invoiceRefs: ['R-2026-10', 'R-2026-11'], principal: '1625.00', interest: '9.87', collectionCosts: '256.25', vat: '0.00', outstanding: '1634.87', termDays: 14, presumedDelivery: '2026-12-04', deadline: '2026-12-18' },
  postedOn: '2026-12-02',
  paymentReference: reference,
  sender: { name: 'Woonstichting Proefwonen', addressLines: ['Postbus 100', '3500 AA Utrecht'], contactLines: ['030 123 45 67', 'incasso@proefwonen.nl'], iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' },
  paymentLink: `http://localhost:3000/pay/${reference}`,
};

export const letterRenderingSection: BenchSection = async ({ quick }) => {
  const count = quick ? 60 : 300;
  for (let i = 0; i < 10; i += 1) await renderLetterPdf(wik, templateVersions.wik);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let last = await renderLetterPdf(wik, templateVersions.wik);
  for (let i = 1; i < count; i += 1) last = await renderLetterPdf(wik, templateVersions.wik);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return [
    {
      section: 'letters',
      name: '14-day letters rendered per core',
      // Per CPU second, so a machine shared with other work does not read as a slow renderer.
      value: Math.round((count * 1000) / cpuMs),
      unit: '/s',
      goal: { atLeast: 250 },
      note: `${count} PDF/A-2b letters (2 claims, QR payment box, ${last.pages} page(s), ${Math.round(last.pdf.length / 1024)} KB each); wall clock ${Math.round((count * 1000) / ms)}/s, ${(ms / count).toFixed(1)} ms each`,
    },
    {
      section: 'letters',
      name: 'size of a 14-day letter PDF',
      // Mostly the two embedded font subsets; what a mail-house batch and the archive store per letter.
      value: Number((last.pdf.length / 1024).toFixed(1)),
      unit: 'KB',
      note: `${last.pdf.length} bytes`,
    },
  ];
};
