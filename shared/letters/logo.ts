/**
 * The corporation's logo for its letterhead (PUT /v1/corporations/:id): a PNG or JPEG, recognised
 * by its first bytes rather than by what the caller calls it, and small, since it is embedded in
 * every letter and every letter is archived.
 */
export const maxLogoBytes = 256 * 1024;

export type LogoType = 'png' | 'jpeg';

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG's eight-byte signature, or JPEG's start-of-image marker followed by another marker; otherwise null. */
export function logoTypeOf(bytes: Uint8Array): LogoType | null {
  if (bytes.length >= 8 && pngSignature.equals(Buffer.from(bytes.subarray(0, 8)))) return 'png';
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}
