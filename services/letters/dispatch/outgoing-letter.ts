import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import type { LetterChannel, SendLetterRequest } from '../../../shared/letters/letter-contract.js';
import { chooseChannel } from './choose-channel.js';
import type { LetterCarriers, OutgoingLetter } from './letter-carriers.js';

/** The channel a new letter goes by: the policy's, unless consent, contact details or the carrier are missing (choose-channel.ts). */
export async function channelFor(
  db: Kysely<Database>,
  carriers: LetterCarriers,
  request: Pick<SendLetterRequest, 'caseId' | 'kind' | 'channel'>,
  debtor: { email: string | null; phone: string | null },
): Promise<LetterChannel> {
  const consent = await db.selectFrom('debtor_consent').select(['email', 'sms', 'whatsapp']).where('case_id', '=', request.caseId).executeTakeFirst();
  const corporation = await db
    .selectFrom('collection_case')
    .innerJoin('corporation', 'corporation.corporation_id', 'collection_case.corporation_id')
    .select('corporation.wik_letter_registered')
    .where('collection_case.case_id', '=', request.caseId)
    .executeTakeFirst();
  const chosen = chooseChannel({
    requested: request.channel ?? 'post',
    kind: request.kind,
    email: debtor.email,
    phone: debtor.phone,
    consent: consent ?? null,
    wikLetterRegistered: corporation?.wik_letter_registered ?? false,
  });
  return carriers.offers(chosen) ? chosen : 'post';
}

/** A stored letter with the tenant's details as its address block was printed (the letter's debtor version). */
export async function outgoingLetter(db: Kysely<Database>, letterId: string): Promise<OutgoingLetter> {
  const letter = await db
    .selectFrom('letter')
    .innerJoin('collection_case', 'collection_case.case_id', 'letter.case_id')
    .innerJoin('corporation', 'corporation.corporation_id', 'collection_case.corporation_id')
    .select(['letter.letter_id', 'letter.case_id', 'letter.kind', 'letter.channel', 'letter.posted_on', 'letter.body', 'letter.pdf', 'letter.sha256', 'letter.pages', 'letter.debtor_version', 'corporation.name as corporation_name'])
    .where('letter.letter_id', '=', letterId)
    .executeTakeFirstOrThrow();
  const version =
    letter.debtor_version === null
      ? undefined
      : await db.selectFrom('debtor_version').select(['name', 'street', 'postal_code', 'city', 'email', 'phone']).where('case_id', '=', letter.case_id).where('version', '=', letter.debtor_version).executeTakeFirst();
  const debtor = version ?? (await db.selectFrom('debtor').select(['name', 'street', 'postal_code', 'city', 'email', 'phone']).where('case_id', '=', letter.case_id).executeTakeFirstOrThrow());
  return {
    letterId: letter.letter_id,
    kind: letter.kind,
    channel: letter.channel as LetterChannel,
    postedOn: letter.posted_on,
    // The text's own subject line (a short message has none).
    subject: /^Onderwerp: (.+)$/m.exec(letter.body)?.[1] ?? 'Bericht over uw huurbetaling',
    body: letter.body,
    pdf: letter.pdf,
    sha256: letter.sha256,
    pages: letter.pages,
    recipient: { name: debtor.name, street: debtor.street, postalCode: debtor.postal_code, city: debtor.city, email: debtor.email, phone: debtor.phone },
    senderName: letter.corporation_name,
  };
}
