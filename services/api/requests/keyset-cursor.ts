import { z } from 'zod';

/**
 * A keyset page's position: the sort key of its last row, handed out as base64url-encoded JSON
 * (the key's values in the order `key` names them), opaque to the caller. `read` answers null for
 * anything this API did not hand out; `schema` refuses it as a query parameter (a 400).
 */
export function keysetCursor<const Key extends Record<string, z.ZodType<string, string>>>(key: Key, maxLength: number) {
  const names = Object.keys(key);
  const keySchema = z.object(key);
  type Position = z.infer<typeof keySchema>;

  const read = (cursor: string): Position | null => {
    try {
      const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (!Array.isArray(values) || values.length !== names.length) return null;
      const parsed = keySchema.safeParse(Object.fromEntries(names.map((name, i) => [name, values[i]])));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };

  return {
    encode: (position: Position): string => Buffer.from(JSON.stringify(names.map((name) => (position as Record<string, string>)[name])), 'utf8').toString('base64url'),
    read,
    schema: z
      .string()
      .max(maxLength)
      .transform((value, ctx) => {
        const position = read(value);
        if (position) return position;
        ctx.addIssue({ code: 'custom', message: 'not a cursor this API handed out (use nextCursor of the previous page)' });
        return z.NEVER;
      })
      .meta({ description: 'nextCursor of the previous page' }),
  };
}
