import { z } from 'zod';
import { logoTypeOf, maxLogoBytes, type LogoType } from '../../../shared/letters/logo.js';

/** Base64 grows by 4/3 (and padding): the longest text that can hold the largest logo. */
const maxBase64Length = Math.ceil(maxLogoBytes / 3) * 4;

/**
 * The letterhead's logo as base64 text, decoded and recognised by its magic bytes: a PNG or a
 * JPEG up to 256 KB. Whether it can be printed (a damaged image with a good signature) is checked
 * by the route against the letters' own renderer.
 */
export const logoField = z
  .string()
  .max(maxBase64Length, `a logo is at most ${maxLogoBytes / 1024} KB (${maxBase64Length} characters of base64)`)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 (A–Z, a–z, 0–9, + and /, padded with =)')
  .transform((text, ctx): { type: LogoType; data: Buffer } => {
    const data = Buffer.from(text, 'base64');
    const type = logoTypeOf(data);
    if (!type) ctx.addIssue({ code: 'custom', message: 'a logo is a PNG or JPEG image; its first bytes are neither' });
    if (data.length > maxLogoBytes) ctx.addIssue({ code: 'custom', message: `a logo is at most ${maxLogoBytes / 1024} KB; this one is ${Math.ceil(data.length / 1024)} KB` });
    return { type: type ?? 'png', data };
  })
  .meta({ description: `the logo printed in the letterhead: a PNG or JPEG of at most ${maxLogoBytes / 1024} KB, base64-encoded; null removes it` });
