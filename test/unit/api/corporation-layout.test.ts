import { describe, expect, it } from 'vitest';
import { corporationRequestSchema } from '../../../services/api/requests/corporations.js';

describe('PUT /v1/corporations/:id: the letterhead and the account', () => {
  it('takes an IBAN as people write it and stores it in electronic format', () => {
    const parsed = corporationRequestSchema.parse({ name: 'Proefwonen', iban: 'nl91 abna 0417 1643 00', bic: 'abnanl2a', addressLines: ['Postbus 100', '3500 AA Utrecht'] });
    expect(parsed).toMatchObject({ iban: 'NL91ABNA0417164300', bic: 'ABNANL2A', addressLines: ['Postbus 100', '3500 AA Utrecht'], contactLines: [] });
  });

  it('refuses an IBAN whose mod-97 check fails, and a malformed BIC', () => {
    const wrongCheck = corporationRequestSchema.safeParse({ name: 'Proefwonen', iban: 'NL92ABNA0417164300' });
    expect(wrongCheck.success).toBe(false);
    expect(wrongCheck.error?.issues[0]?.path).toEqual(['iban']);
    expect(corporationRequestSchema.safeParse({ name: 'Proefwonen', bic: 'ABN' }).success).toBe(false);
    expect(corporationRequestSchema.safeParse({ name: 'Proefwonen', addressLines: ['a\nb'] }).success).toBe(false);
  });

  it('leaves the account unset when not given', () => {
    expect(corporationRequestSchema.parse({ name: 'Proefwonen' })).toMatchObject({ iban: null, bic: null, addressLines: [], contactLines: [] });
  });
});
