import { addDays } from '../../../shared/calendar/iso-date.js';
import { formatMoney, money, sumMoney } from '../../../shared/money.js';
import { shortChannels, type LetterChannel, type LetterFacts, type LetterKind } from '../../../shared/letters/letter-contract.js';

export interface LetterRecipient {
  readonly name: string;
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
}

/** The corporation's letterhead and bank account (PUT /v1/corporations/:id). */
export interface LetterSender {
  readonly name: string;
  readonly addressLines: readonly string[];
  readonly contactLines: readonly string[];
  readonly iban: string | null;
  readonly bic: string | null;
  /** Printed top left of the letterhead; absent or null: none. */
  readonly logo?: { readonly type: 'png' | 'jpeg'; readonly data: Buffer } | null;
}

export interface LetterClaimLine {
  readonly invoiceRef: string;
  readonly description: string;
  readonly amount: string;
  readonly dueDate: string;
}

export interface LetterContext {
  readonly kind: LetterKind;
  readonly channel: LetterChannel;
  readonly recipient: LetterRecipient;
  readonly claims: readonly LetterClaimLine[];
  readonly facts: LetterFacts;
  readonly postedOn: string;
  readonly paymentReference: string | null;
  /** The corporation's letterhead; null for a corporation that has not set one. */
  readonly sender: LetterSender | null;
  /** Where the tenant pays online (with the payment reference in it); null without a reference. */
  readonly paymentLink: string | null;
}

/** A line of the letter: text, or a row of a table (the plain text keeps its column layout). */
export type LetterLine = string | { readonly text: string; readonly cells: readonly string[] };

/** One letter as its template composes it: what the text rendering and the PDF both print. */
export interface ComposedLetter {
  readonly subject: string;
  readonly lines: readonly LetterLine[];
  /** Letters asking for money carry the way to pay (IBAN, betalingskenmerk, link and QR code). */
  readonly asksForMoney: boolean;
}

/** Versioned template ids: a court may ask which text a tenant got on which day. */
export const templateVersions: Record<LetterKind, string> = {
  prenotice: 'prenotice@2',
  reminder: 'reminder@2',
  wik: 'wik@2',
  arrangement_confirmation: 'arrangement_confirmation@3',
  instalment_reminder: 'instalment_reminder@2',
  handover_notice: 'handover_notice@2',
  breach_notice: 'breach_notice@1',
  eviction_information: 'eviction_information@1',
  claim_filing: 'claim_filing@1',
};

/** The short texts of sms, whatsapp and payment_link are templates of their own. */
export const shortTemplateVersions: Record<LetterKind, string> = {
  prenotice: 'prenotice.short@1',
  reminder: 'reminder.short@1',
  wik: 'wik.short@1',
  arrangement_confirmation: 'arrangement_confirmation.short@1',
  instalment_reminder: 'instalment_reminder.short@1',
  handover_notice: 'handover_notice.short@1',
  breach_notice: 'breach_notice.short@1',
  eviction_information: 'eviction_information.short@1',
  claim_filing: 'claim_filing.short@1',
};

/** The template id stored with a letter. */
export function templateVersionFor(kind: LetterKind, channel: LetterChannel): string {
  return shortChannels.has(channel) ? shortTemplateVersions[kind] : templateVersions[kind];
}

/**
 * Each amount and date formatted once per process: Intl's formatting was a twentieth of a
 * letter's time, and a run of letters prints the same dates and many of the same amounts.
 */
function remembered(format: (input: string) => string): (input: string) => string {
  const known = new Map<string, string>();
  return (input) => {
    let text = known.get(input);
    if (text === undefined) {
      text = format(input);
      if (known.size >= 10_000) known.clear();
      known.set(input, text);
    }
    return text;
  };
}

const euroFormat = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 });
/**
 * Intl formats a decimal string exactly (no detour through a float); the no-break space becomes a
 * plain one so text searches find it.
 */
export const euro = remembered((amount: string) => euroFormat.format(formatMoney(amount) as `${number}`).replace(/\u00a0/g, ' '));

// Dates are calendar days (no time): formatted in UTC so the server's zone cannot move them a day.
const dateFormat = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'UTC' });
export const longDate = remembered((iso: string) => dateFormat.format(new Date(`${iso}T00:00:00Z`)));

/**
 * An amount the letter prints. The request schema requires them of every kind that prints them
 * (all but eviction information), so one missing here is a caller's bug, not the tenant's.
 */
function amount(ctx: LetterContext, field: 'principal' | 'interest' | 'outstanding'): string {
  const value = ctx.facts[field];
  if (value === undefined) throw new Error(`a ${ctx.kind} letter needs its ${field}`);
  return value;
}

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

function claimTable(ctx: LetterContext): LetterLine[] {
  return ctx.claims.map((c) => ({
    text: `  ${c.invoiceRef.padEnd(16)} ${c.description.padEnd(28)} vervallen ${longDate(c.dueDate).padEnd(18)} ${euro(c.amount)}`,
    cells: [c.invoiceRef, c.description, `vervallen ${longDate(c.dueDate)}`, euro(c.amount)],
  }));
}

/** How to pay: the account, the betalingskenmerk and the payment link (the PDF adds its QR code). */
function paymentInstruction(ctx: LetterContext): string[] {
  const account = ctx.sender?.iban
    ? [`Maak het bedrag over naar IBAN ${ctx.sender.iban}${ctx.sender.bic ? ` (BIC ${ctx.sender.bic})` : ''} ten name van ${ctx.sender.name}.`]
    : [];
  return ctx.paymentReference
    ? [...account, `Vermeld bij uw betaling het betalingskenmerk ${ctx.paymentReference}.`, ...(ctx.paymentLink ? [`Of betaal online: ${ctx.paymentLink}`] : [])]
    : account;
}

const debtHelp = [
  'Lukt het u niet om te betalen? Neem dan contact met ons op, dan zoeken we samen naar een oplossing.',
  'Ook kunt u gratis hulp krijgen via de schuldhulpverlening van uw gemeente.',
];

const earlyWarningOffer = [
  'Wij kunnen uw gegevens en de hoogte van de achterstand doorgeven aan de gemeente, zodat zij u hulp kunnen aanbieden. Wilt u dat niet? Laat het ons dan binnen 14 dagen weten.',
];

function composeReminder(ctx: LetterContext): ComposedLetter {
  return { subject: 'Herinnering huurachterstand', asksForMoney: true, lines: [
    'Geachte heer, mevrouw,',
    '',
    'Volgens onze administratie hebben wij de volgende bedragen nog niet van u ontvangen:',
    ...claimTable(ctx),
    '',
    `Totaal openstaand: ${euro(amount(ctx, 'outstanding'))}`,
    '',
    'Wij verzoeken u dit bedrag zo snel mogelijk te betalen.',
    ...paymentInstruction(ctx),
    '',
    ...debtHelp,
    '',
    ...earlyWarningOffer,
  ] };
}

/**
 * The 14-day letter (art. 6:96 lid 6 BW). Its wording is what makes the collection costs
 * claimable: the term runs "na de dag van ontvangst" (never "from the date of this letter",
 * HR 25-11-2016), the consequences are stated, and the costs are an exact amount.
 */
function composeWik(ctx: LetterContext): ComposedLetter {
  const costs = ctx.facts.collectionCosts ?? '0.00';
  const vat = ctx.facts.vat ?? '0.00';
  const vatLine = vat !== '0.00'
    ? [`Over deze incassokosten is ${euro(vat)} btw verschuldigd, omdat wij de btw niet kunnen verrekenen.`]
    : [];
  const termDays = ctx.facts.termDays ?? 14;
  const lastDay = ctx.facts.deadline
    ? [`De termijn eindigt op ${longDate(ctx.facts.deadline)}. Betaalt u uiterlijk op die dag, dan kost het u niets extra.`]
    : ['Betaalt u binnen deze termijn, dan kost het u niets extra.'];
  return { subject: 'Aanmaning: laatste gelegenheid om kosteloos te betalen (veertiendagenbrief)', asksForMoney: true, lines: [
    'Geachte heer, mevrouw,',
    '',
    'Ondanks onze herinnering hebben wij de volgende bedragen nog niet van u ontvangen:',
    ...claimTable(ctx),
    '',
    `Hoofdsom: ${euro(amount(ctx, 'principal'))}`,
    `Wettelijke rente tot heden: ${euro(amount(ctx, 'interest'))}`,
    `Totaal nu te betalen: ${euro(amount(ctx, 'outstanding'))}`,
    '',
    `Wij geven u de gelegenheid dit bedrag te betalen binnen ${termDays} dagen, te rekenen vanaf de dag na de dag van ontvangst van deze brief.`,
    ...lastDay,
    ...paymentInstruction(ctx),
    '',
    `Betaalt u niet binnen deze termijn, dan bent u buitengerechtelijke incassokosten verschuldigd van ${euro(costs)}.`,
    ...vatLine,
    'Over de hoofdsom blijft na het einde van de termijn de wettelijke rente doorlopen tot de dag van betaling.',
    'Daarnaast kunnen wij de vordering uit handen geven aan een gerechtsdeurwaarder, die u kan dagvaarden voor betaling en ontbinding van de huurovereenkomst en ontruiming van de woning.',
    '',
    ...debtHelp,
  ] };
}

/** Arrangement letters: the schedule, the total, and the day a missed instalment lapses the arrangement. */
function scheduleTable(instalments: readonly { dueDate: string; amount: string }[]): LetterLine[] {
  const total = formatMoney(sumMoney(instalments.map((i) => i.amount)));
  return [
    ...instalments.map((i, n) => ({
      text: `  termijn ${String(n + 1).padStart(2)}   uiterlijk ${longDate(i.dueDate).padEnd(18)} ${euro(i.amount)}`,
      cells: [`termijn ${n + 1}`, '', `uiterlijk ${longDate(i.dueDate)}`, euro(i.amount)],
    })),
    { text: `  ${'totaal'.padEnd(41)} ${euro(total)}`, cells: ['totaal', '', '', euro(total)] },
  ];
}

function lapseRule(graceDays: number | undefined): string[] {
  const when = graceDays === undefined ? 'enkele dagen na' : graceDays === 0 ? 'na' : graceDays === 1 ? '1 dag na' : `${graceDays} dagen na`;
  return [
    `Is een termijn ${when} de vervaldatum nog niet volledig betaald, dan vervalt de regeling. Wij zetten de incasso dan voort waar die was gebleven: wat dan nog openstaat, moet u in één keer betalen, met de wettelijke rente over de hele periode.`,
  ];
}

/** The confirmation of an agreed arrangement (domain.md §1 A.3): schedule, what a missed instalment means, help. */
function composeArrangementConfirmation(ctx: LetterContext): ComposedLetter {
  const instalments = ctx.facts.instalments ?? [];
  const count = instalments.length;
  return { subject: 'Bevestiging betalingsregeling', asksForMoney: true, lines: [
    'Geachte heer, mevrouw,',
    '',
    'Met u is een betalingsregeling afgesproken voor uw huurachterstand. Met deze brief bevestigen wij die.',
    ...(ctx.claims.length > 0 ? ['', 'De regeling betreft:', ...claimTable(ctx)] : []),
    '',
    count > 0
      ? `U betaalt het bedrag van de regeling, ${euro(amount(ctx, 'outstanding'))}, in ${count === 1 ? '1 termijn' : `${count} termijnen`}:`
      : `Het bedrag van de regeling is ${euro(amount(ctx, 'outstanding'))}.`,
    ...(count > 0 ? scheduleTable(instalments) : []),
    '',
    ...paymentInstruction(ctx).map((line) => line.replace('bij uw betaling', 'bij elke betaling')),
    'Enkele dagen voor elke termijn sturen wij u een herinnering. Betaal daarnaast de lopende huur op tijd.',
    'Zolang u zich aan de regeling houdt, zetten wij de incasso niet voort en brengen wij geen rente in rekening.',
    '',
    'Wat gebeurt er als u een termijn mist?',
    ...lapseRule(ctx.facts.graceDays),
    '',
    'Lukt het u niet om een termijn te betalen? Neem dan vóór de vervaldatum contact met ons op.',
    'Ook kunt u gratis hulp krijgen via de schuldhulpverlening van uw gemeente.',
  ] };
}

/** A few days before an instalment falls due. */
function composeInstalmentReminder(ctx: LetterContext): ComposedLetter {
  const instalment = ctx.facts.instalment;
  const graceDays = ctx.facts.graceDays;
  const lapse = instalment && graceDays !== undefined
    ? [`Is deze termijn na ${longDate(addDays(instalment.dueDate, graceDays))} nog niet volledig betaald, dan vervalt de regeling en zetten wij de incasso voort waar die was gebleven.`]
    : lapseRule(graceDays);
  return { subject: 'Herinnering termijn betalingsregeling', asksForMoney: true, lines: [
    'Geachte heer, mevrouw,',
    '',
    instalment
      ? `Op ${longDate(instalment.dueDate)} vervalt termijn ${instalment.number} van ${instalment.count} van uw betalingsregeling: ${euro(instalment.amount)}.`
      : `Binnenkort vervalt de volgende termijn van uw betalingsregeling: ${euro(amount(ctx, 'principal'))}.`,
    'Wilt u ervoor zorgen dat het bedrag uiterlijk op die dag op onze rekening staat?',
    ...paymentInstruction(ctx),
    `Na deze termijn staat er onder de regeling nog ${euro(remainingAfter(ctx))} open.`,
    'Heeft u deze termijn al betaald? Dan kunt u deze herinnering als niet verzonden beschouwen.',
    '',
    ...lapse,
    '',
    ...debtHelp,
  ] };
}

/** What stays open under the arrangement once this instalment is paid (facts.outstanding is before it). */
function remainingAfter(ctx: LetterContext): string {
  const rest = money(amount(ctx, 'outstanding')).minus(ctx.facts.instalment?.amount ?? amount(ctx, 'principal'));
  return formatMoney(rest.gt(0) ? rest : money(0));
}

/**
 * The arrangement has lapsed (domain.md §1 C.1): which instalment fell short and by how much, that
 * the collection goes on where it stood with the interest of the whole period owed again, and that
 * a new arrangement can still be talked about.
 */
function composeBreachNotice(ctx: LetterContext): ComposedLetter {
  const { instalment, breach, graceDays } = ctx.facts;
  const which = instalment
    ? `termijn ${instalment.number} van ${instalment.count} (${euro(instalment.amount)}, te betalen uiterlijk ${longDate(instalment.dueDate)})`
    : 'een termijn';
  const grace = graceDays === undefined || graceDays === 0 ? '' : graceDays === 1 ? ' ook na 1 dag extra' : ` ook na ${graceDays} dagen extra`;
  return { subject: 'Uw betalingsregeling is vervallen', asksForMoney: true, lines: [
    'Geachte heer, mevrouw,',
    '',
    `Met u is een betalingsregeling afgesproken voor uw huurachterstand. U heeft ${which}${grace} niet volledig betaald${breach ? `: er ontbrak ${euro(breach.shortfall)}` : ''}.`,
    breach ? `Daarom is de regeling op ${longDate(breach.on)} vervallen.` : 'Daarom is de regeling vervallen.',
    '',
    'Wat betekent dit voor u?',
    `Onder de regeling stond nog ${euro(amount(ctx, 'outstanding'))} open. Dat bedrag moet u nu in één keer betalen.`,
    'Wij zetten de incasso voort waar die was gebleven. Over de hele periode van de regeling bent u weer wettelijke rente verschuldigd.',
    '',
    ...paymentInstruction(ctx),
    '',
    'Kunt u niet in één keer betalen? Neem dan zo snel mogelijk contact met ons op. Misschien kunnen wij een nieuwe afspraak met u maken.',
    'Ook kunt u gratis hulp krijgen via de schuldhulpverlening van uw gemeente.',
  ] };
}

/**
 * The bailiff has announced the eviction (art. 14 Gerechtsdeurwaarderswet: the municipality hears
 * of it too). The tenant hears it from us as well, in plain words: the date, that it may still be
 * talked about, and where help is. No payment details: from the hand-over the bailiff collects.
 */
function composeEvictionInformation(ctx: LetterContext): ComposedLetter {
  const eviction = ctx.facts.eviction;
  const date = eviction ? longDate(eviction.date) : 'de aangekondigde datum';
  return { subject: eviction ? `Ontruiming van uw woning op ${date}` : 'Ontruiming van uw woning', asksForMoney: false, lines: [
    'Geachte heer, mevrouw,',
    '',
    eviction
      ? `De gerechtsdeurwaarder heeft u op ${longDate(eviction.announcedOn)} laten weten dat uw woning op ${date} wordt ontruimd. Dat gebeurt op grond van het vonnis van de kantonrechter.`
      : 'De gerechtsdeurwaarder heeft u laten weten dat uw woning wordt ontruimd. Dat gebeurt op grond van het vonnis van de kantonrechter.',
    'Wij vinden het belangrijk dat u dit weet, en wat u nog kunt doen.',
    '',
    'Wat kunt u nog doen?',
    `Neem vóór ${date} contact op met de gerechtsdeurwaarder of met ons. Betaalt u de hele achterstand met de kosten, of komt u met ons een afspraak overeen, dan kan de ontruiming soms nog worden uitgesteld of afgeblazen.`,
    'Vraag vandaag nog hulp bij de schuldhulpverlening of het sociaal wijkteam van uw gemeente. De gemeente weet van de ontruiming en kan u helpen, ook bij het vinden van onderdak.',
    'Breng uw belangrijke papieren, medicijnen en persoonlijke spullen op tijd in veiligheid.',
    '',
    'Voor vragen over de ontruiming zelf kunt u de gerechtsdeurwaarder bellen. Zijn gegevens staan op de brief die u van hem kreeg.',
  ] };
}

const administratorOf = (proceeding: 'wsnp' | 'bankruptcy') => (proceeding === 'wsnp' ? 'bewindvoerder' : 'curator');

/**
 * The claim filed with the administrator (WSNP) or trustee (bankruptcy), with the amounts as they
 * stood on the ruling's day. The tenant must not pay it to us now, and must keep paying the rent
 * that falls due from now on: that is what keeps the home.
 */
function composeClaimFiling(ctx: LetterContext): ComposedLetter {
  const filing = ctx.facts.claimFiling;
  const proceeding = filing?.proceeding ?? 'wsnp';
  const role = administratorOf(proceeding);
  const ruling = filing ? longDate(filing.rulingDate) : null;
  const opening = proceeding === 'wsnp'
    ? `${ruling ? `Op ${ruling} heeft` : 'Onlangs heeft'} de rechtbank de schuldsaneringsregeling (Wsnp) op u van toepassing verklaard.`
    : `${ruling ? `Op ${ruling} heeft` : 'Onlangs heeft'} de rechtbank u failliet verklaard.`;
  return { subject: `Onze vordering is ingediend bij de ${role}`, asksForMoney: false, lines: [
    'Geachte heer, mevrouw,',
    '',
    opening,
    `Daarom hebben wij op ${longDate(ctx.postedOn)} onze vordering ingediend bij de ${role}. Het gaat om wat op de dag van de uitspraak openstond:`,
    ...claimTable(ctx),
    '',
    `Hoofdsom: ${euro(amount(ctx, 'principal'))}`,
    `Wettelijke rente${ruling ? ` tot ${ruling}` : ''}: ${euro(amount(ctx, 'interest'))}`,
    `Kosten: ${euro(filing?.costs ?? '0.00')}`,
    `Totaal ingediend: ${euro(amount(ctx, 'outstanding'))}`,
    '',
    'Wat betekent dit voor u?',
    `Betaal dit bedrag niet aan ons. De ${role} handelt de vordering af. Na de dag van de uitspraak rekenen wij er geen rente meer over.`,
    'Blijf de huur die vanaf nu vervalt elke maand op tijd betalen. Die valt er niet onder, en een nieuwe achterstand kan u uw woning kosten.',
    '',
    `Heeft u vragen over de vordering? Neem dan contact op met uw ${role} of met ons.`,
  ] };
}

const referenceOf = (ctx: LetterContext) => {
  const refs = ctx.facts.invoiceRefs;
  return refs.length > 3 ? `${refs.slice(0, 3).join(', ')} e.a.` : refs.join(', ');
};

/** The first line of a short message: what it is about, the amount and our reference. */
function shortSubject(ctx: LetterContext): string {
  const { facts } = ctx;
  const ref = referenceOf(ctx);
  switch (ctx.kind) {
    case 'prenotice': {
      const due = ctx.claims[0]?.dueDate;
      return due ? `Uw huur van ${euro(amount(ctx, 'principal'))} vervalt op ${longDate(due)} (kenmerk ${ref}).` : `Binnenkort vervalt uw huur van ${euro(amount(ctx, 'principal'))} (kenmerk ${ref}).`;
    }
    case 'reminder':
      return `Herinnering: wij hebben ${euro(amount(ctx, 'outstanding'))} aan huur nog niet ontvangen (kenmerk ${ref}).`;
    case 'wik':
      return `U ontvangt per post een aanmaning over ${euro(amount(ctx, 'outstanding'))} (kenmerk ${ref}).`;
    case 'arrangement_confirmation': {
      const first = facts.instalments?.[0];
      const count = facts.instalments?.length ?? 0;
      if (!first) return `Uw betalingsregeling van ${euro(amount(ctx, 'outstanding'))} is vastgelegd.`;
      return count === 1
        ? `Uw betalingsregeling is vastgelegd: ${euro(first.amount)}, te betalen uiterlijk ${longDate(first.dueDate)}.`
        : `Uw betalingsregeling is vastgelegd: ${euro(amount(ctx, 'outstanding'))} in ${count} termijnen, de eerste van ${euro(first.amount)} uiterlijk ${longDate(first.dueDate)}.`;
    }
    case 'instalment_reminder': {
      const instalment = facts.instalment;
      return instalment
        ? `Termijn ${instalment.number} van ${instalment.count} van uw betalingsregeling: ${euro(instalment.amount)}, uiterlijk ${longDate(instalment.dueDate)}.`
        : `Binnenkort vervalt een termijn van uw betalingsregeling: ${euro(amount(ctx, 'principal'))}.`;
    }
    case 'handover_notice':
      return `Uw huurachterstand van ${euro(amount(ctx, 'outstanding'))} is overgedragen aan de gerechtsdeurwaarder (kenmerk ${ref}).`;
    case 'breach_notice':
      return `Uw betalingsregeling is vervallen: een termijn is niet volledig betaald. Er staat nog ${euro(amount(ctx, 'outstanding'))} open.`;
    case 'eviction_information':
      return facts.eviction
        ? `De deurwaarder heeft de ontruiming van uw woning aangekondigd voor ${longDate(facts.eviction.date)}. Neem direct contact met ons op.`
        : 'De deurwaarder heeft de ontruiming van uw woning aangekondigd. Neem direct contact met ons op.';
    case 'claim_filing':
      return `Wij hebben onze vordering van ${euro(amount(ctx, 'outstanding'))} ingediend bij uw ${administratorOf(facts.claimFiling?.proceeding ?? 'wsnp')}. Betaal dit bedrag niet aan ons.`;
  }
}

/**
 * SMS, WhatsApp and payment-link messages: three lines (amount and reference, how to pay, where to
 * get help), no address block and no name, as such messages show on a locked phone. For a payment
 * link the provider adds the link itself when it sends the message.
 */
function renderShort(ctx: LetterContext): string {
  // Messages that ask for no payment say nothing of paying.
  if (ctx.kind === 'eviction_information' || ctx.kind === 'claim_filing') return [shortSubject(ctx), 'Hulp nodig? Bel ons, of vraag gratis schuldhulp bij uw gemeente.'].join('\n') + '\n';
  const how =
    ctx.channel === 'payment_link'
      ? `Betaal met de betaallink bij dit bericht${ctx.paymentReference ? ` of per bank o.v.v. betalingskenmerk ${ctx.paymentReference}` : ''}.`
      : ctx.paymentReference
        ? `Betaal o.v.v. betalingskenmerk ${ctx.paymentReference}.`
        : `Vermeld bij uw betaling kenmerk ${referenceOf(ctx)}.`;
  return [shortSubject(ctx), how, 'Hulp nodig? Bel ons, of vraag gratis schuldhulp bij uw gemeente.'].join('\n') + '\n';
}

function composeGeneric(ctx: LetterContext, subject: string, asksForMoney: boolean): ComposedLetter {
  return { subject, asksForMoney, lines: [
    'Geachte heer, mevrouw,',
    '',
    ...claimTable(ctx),
    '',
    `Totaal openstaand: ${euro(amount(ctx, 'outstanding'))}`,
    ...(asksForMoney ? paymentInstruction(ctx) : []),
  ] };
}

/** One template per kind: what the letter says, before it is laid out as text or PDF. */
export function composeLetter(ctx: LetterContext): ComposedLetter {
  switch (ctx.kind) {
    case 'reminder':
      return composeReminder(ctx);
    case 'wik':
      return composeWik(ctx);
    case 'prenotice':
      return composeGeneric(ctx, 'Vooraankondiging huurbetaling', true);
    case 'arrangement_confirmation':
      return composeArrangementConfirmation(ctx);
    case 'instalment_reminder':
      return composeInstalmentReminder(ctx);
    case 'handover_notice':
      // The tenant pays the bailiff from now on: our account and reference would mislead.
      return composeGeneric(ctx, 'Overdracht aan gerechtsdeurwaarder', false);
    case 'breach_notice':
      return composeBreachNotice(ctx);
    case 'eviction_information':
      return composeEvictionInformation(ctx);
    case 'claim_filing':
      return composeClaimFiling(ctx);
  }
}

export const closingLines = ['Met vriendelijke groet,', 'Afdeling Incasso'] as const;

const textOf = (line: LetterLine) => (typeof line === 'string' ? line : line.text);

/** The plain text of a letter (kept with the PDF, searchable) or the short text of a message channel. */
export function renderLetter(ctx: LetterContext): string {
  if (shortChannels.has(ctx.channel)) return renderShort(ctx);
  const letter = composeLetter(ctx);
  return [...header(ctx, letter.subject), ...letter.lines.map(textOf), '', ...closingLines, ''].join('\n');
}
