/**
 * Letters rendered per second on one core: a 14-day letter (two claims, letterhead, payment box
 * with QR code), a different tenant and amounts each, rendered after 40 warm-ups, and the size of one such PDF.
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

const surnames = ['Jansen', 'de Vries', 'van den Berg', 'Bakker', 'Öztürk', 'El Amrani', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Bos'];

/**
 * The i-th tenant's letter: another name, address, reference and amounts each time, as a day's
 * batch has them, so what the renderer keeps across letters (the template's words, glyphs,
 * formatted amounts) is measured at the rate a real batch meets it, not as one letter repeated.
 */
function letterOf(i: number): LetterContext {
  const cents = 60_000 + ((i * 7_919) % 90_000);
  const rent = (cents / 100).toFixed(2);
  const principal = ((2 * cents) / 100).toFixed(2);
  const interest = ((i % 1_500) / 100 + 1).toFixed(2);
  const costs = (Math.round(cents * 0.3) / 100).toFixed(2);
  const outstanding = ((2 * cents + (i % 1_500) + 100) / 100).toFixed(2);
  const ref = String(2026000000000000 + i * 97).padStart(16, '0');
  return {
    ...wik,
    recipient: { name: `${String.fromCharCode(65 + (i % 26))}. ${surnames[i % surnames.length]}`, street: `Proefstraat ${1 + (i % 240)}`, postalCode: `${1000 + (i % 8999)} AB`, city: 'Utrecht' },
    claims: wik.claims.map((claim) => ({ ...claim, amount: rent })),
    facts: { ...wik.facts, principal, interest, collectionCosts: costs, outstanding },
    paymentReference: ref,
    paymentLink: `http://localhost:3000/pay/${ref}`,
  };
}

export const letterRenderingSection: BenchSection = async ({ quick }) => {
  // The renderer keeps words, glyphs and formatted amounts across letters, as a running service
  // does: a short run measures the JIT and those caches filling, not the steady rate.
  const count = quick ? 200 : 1000;
  for (let i = 0; i < 40; i += 1) await renderLetterPdf(letterOf(100_000 + i), templateVersions.wik);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let last = await renderLetterPdf(letterOf(0), templateVersions.wik);
  for (let i = 1; i < count; i += 1) last = await renderLetterPdf(letterOf(i), templateVersions.wik);
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
      note: `${count} PDF/A-2b letters, each to another tenant with other amounts (2 claims, QR payment box, ${last.pages} page(s), ${Math.round(last.pdf.length / 1024)} KB each); wall clock ${Math.round((count * 1000) / ms)}/s, ${(ms / count).toFixed(1)} ms each`,
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
