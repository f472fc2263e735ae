import type { LetterFacts, LetterKind } from '../letter-contract.js';

export interface LetterRecipient {
  readonly name: string;
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
}

export interface LetterClaimLine {
  readonly invoiceRef: string;
  readonly description: string;
  readonly amount: string;
  readonly dueDate: string;
}

export interface LetterContext {
  readonly kind: LetterKind;
  readonly recipient: LetterRecipient;
  readonly claims: readonly LetterClaimLine[];
  readonly facts: LetterFacts;
  readonly postedOn: string;
  readonly paymentReference: string | null;
}

/** Versioned template ids: a court may ask which text a tenant got on which day. */
export const templateVersions: Record<LetterKind, string> = {
  prenotice: 'prenotice@1',
  reminder: 'reminder@1',
  wik: 'wik@1',
  arrangement_confirmation: 'arrangement_confirmation@1',
  handover_notice: 'handover_notice@1',
};

const euro = (amount: string) =>
  `€ ${amount.replace(/\B(?=(\d{3})+(?!\d))/g, '.').replace(/\.(\d{2})$/, ',$1')}`;

const dutchMonths = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];
const longDate = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d} ${dutchMonths[m - 1]} ${y}`;
};

function header(ctx: LetterContext, subject: string): string[] {
  return [
    ctx.recipient.name,
    ctx.recipient.street,
    `${ctx.recipient.postalCode}  ${ctx.recipient.city}`,
    '',
    `Datum: ${longDate(ctx.postedOn)}`,
    `Onderwerp: ${subject}`,
    '',
  ];
}

function claimTable(ctx: LetterContext): string[] {
  return ctx.claims.map((c) => `  ${c.invoiceRef.padEnd(16)} ${c.description.padEnd(28)} vervallen ${longDate(c.dueDate).padEnd(18)} ${euro(c.amount)}`);
}

function paymentInstruction(ctx: LetterContext): string[] {
  return ctx.paymentReference
    ? [`Vermeld bij uw betaling het betalingskenmerk ${ctx.paymentReference}.`]
    : [];
}

const debtHelp = [
  'Lukt het u niet om te betalen? Neem dan contact met ons op, dan zoeken we samen naar een oplossing.',
  'Ook kunt u gratis hulp krijgen via de schuldhulpverlening van uw gemeente.',
];

const earlyWarningOffer = [
  'Wij kunnen uw gegevens en de hoogte van de achterstand doorgeven aan de gemeente, zodat zij u',
  'hulp kunnen aanbieden. Wilt u dat niet? Laat het ons dan binnen 14 dagen weten.',
];

function renderReminder(ctx: LetterContext): string[] {
  return [
    ...header(ctx, 'Herinnering huurachterstand'),
    'Geachte heer, mevrouw,',
    '',
    'Volgens onze administratie hebben wij de volgende bedragen nog niet van u ontvangen:',
    ...claimTable(ctx),
    '',
    `Totaal openstaand: ${euro(ctx.facts.outstanding)}`,
    '',
    'Wij verzoeken u dit bedrag zo snel mogelijk te betalen.',
    ...paymentInstruction(ctx),
    '',
    ...debtHelp,
    '',
    ...earlyWarningOffer,
  ];
}

/**
 * The 14-day letter (art. 6:96 lid 6 BW). Its wording is what makes the collection costs
 * claimable: the term runs "na de dag van ontvangst" (never "from the date of this letter",
 * HR 25-11-2016), the consequences are stated, and the costs are an exact amount.
 */
function renderWik(ctx: LetterContext): string[] {
  const costs = ctx.facts.collectionCosts ?? '0.00';
  const vat = ctx.facts.vat ?? '0.00';
  const vatLine = vat !== '0.00'
    ? [`Over deze incassokosten is ${euro(vat)} btw verschuldigd, omdat wij de btw niet kunnen verrekenen.`]
    : [];
  return [
    ...header(ctx, 'Aanmaning: laatste gelegenheid om kosteloos te betalen (veertiendagenbrief)'),
    'Geachte heer, mevrouw,',
    '',
    'Ondanks onze herinnering hebben wij de volgende bedragen nog niet van u ontvangen:',
    ...claimTable(ctx),
    '',
    `Hoofdsom: ${euro(ctx.facts.principal)}`,
    `Wettelijke rente tot heden: ${euro(ctx.facts.interest)}`,
    `Totaal nu te betalen: ${euro(ctx.facts.outstanding)}`,
    '',
    `Wij geven u de gelegenheid dit bedrag te betalen binnen ${ctx.facts.termDays ?? 14} dagen, te rekenen vanaf de dag na de dag van ontvangst van deze brief.`,
    ...paymentInstruction(ctx),
    '',
    `Betaalt u niet binnen deze termijn, dan bent u buitengerechtelijke incassokosten verschuldigd van ${euro(costs)}.`,
    ...vatLine,
    'Daarnaast kunnen wij de vordering uit handen geven aan een gerechtsdeurwaarder, die u kan dagvaarden',
    'voor betaling en ontbinding van de huurovereenkomst en ontruiming van de woning.',
    '',
    ...debtHelp,
  ];
}

function renderGeneric(ctx: LetterContext, subject: string): string[] {
  return [
    ...header(ctx, subject),
    'Geachte heer, mevrouw,',
    '',
    ...claimTable(ctx),
    '',
    `Totaal openstaand: ${euro(ctx.facts.outstanding)}`,
    ...paymentInstruction(ctx),
  ];
}

export function renderLetter(ctx: LetterContext): string {
  const lines = (() => {
    switch (ctx.kind) {
      case 'reminder':
        return renderReminder(ctx);
      case 'wik':
        return renderWik(ctx);
      case 'prenotice':
        return renderGeneric(ctx, 'Vooraankondiging huurbetaling');
      case 'arrangement_confirmation':
        return renderGeneric(ctx, 'Bevestiging betalingsregeling');
      case 'handover_notice':
        return renderGeneric(ctx, 'Overdracht aan gerechtsdeurwaarder');
    }
  })();
  return [...lines, '', 'Met vriendelijke groet,', 'Afdeling Incasso', ''].join('\n');
}
