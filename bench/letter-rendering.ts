/**
 * Letters rendered per second on one core: a 14-day letter (two claims, letterhead, payment box
 * with QR code) rendered 200 times after 10 warm-ups, and the size of one such PDF.
 * `npx tsx bench/letter-rendering.ts`
 */
import { renderLetterPdf } from '../services/letters/templates/letter-pdf.js';
import { templateVersions, type LetterContext } from '../services/letters/templates/render-letter.js';

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

export async function benchLetterRendering(count = 200): Promise<{ lettersPerSecond: number; msPerLetter: number; bytes: number; pages: number }> {
  for (let i = 0; i < 10; i += 1) await renderLetterPdf(wik, templateVersions.wik);
  const started = performance.now();
  let last = await renderLetterPdf(wik, templateVersions.wik);
  for (let i = 1; i < count; i += 1) last = await renderLetterPdf(wik, templateVersions.wik);
  const ms = performance.now() - started;
  return { lettersPerSecond: Math.round((count * 1000) / ms), msPerLetter: Number((ms / count).toFixed(1)), bytes: last.pdf.length, pages: last.pages };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchLetterRendering());
