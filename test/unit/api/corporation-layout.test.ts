import { describe, expect, it } from 'vitest';
import { corporationRequestSchema } from '../../../services/api/requests/corporations.js';
import { tinyPng } from '../../support/images.js';

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

describe('PUT /v1/corporations/:id: the logo', () => {
  const jpegStart = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
  const logoIssue = (logo: string) => corporationRequestSchema.safeParse({ name: 'Proefwonen', logo }).error?.issues.find((i) => i.path[0] === 'logo');

  it('takes a PNG or a JPEG, recognised by its first bytes, as base64', () => {
    const png = tinyPng();
    expect(corporationRequestSchema.parse({ name: 'Proefwonen', logo: png.toString('base64') }).logo).toEqual({ type: 'png', data: png });
    expect(corporationRequestSchema.parse({ name: 'Proefwonen', logo: jpegStart.toString('base64') }).logo).toMatchObject({ type: 'jpeg' });
    expect(corporationRequestSchema.parse({ name: 'Proefwonen' }).logo).toBeNull();
  });

  it('refuses other images, text that is not base64, and a logo over 256 KB, naming the field', () => {
    expect(logoIssue(Buffer.from('GIF89a\x01\x00').toString('base64'))?.message).toMatch(/PNG or JPEG/);
    expect(logoIssue(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64'))?.message).toMatch(/PNG or JPEG/);
    expect(logoIssue('iVBORw0K GgoAAA')?.message).toMatch(/base64/);
    expect(logoIssue(Buffer.concat([tinyPng(), Buffer.alloc(257 * 1024)]).toString('base64'))?.message).toMatch(/at most 256 KB/);
  });
});
