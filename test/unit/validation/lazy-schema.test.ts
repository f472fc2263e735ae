import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lazySchema } from '../../../shared/validation/lazy-schema.js';

const claimShape = () => z.object({ invoiceRef: z.string().min(1).max(80), amount: z.string().regex(/^\d+\.\d{2}$/) }).strict();

describe('lazySchema', () => {
  it('makes the schema on first use, once', () => {
    let built = 0;
    const schema = lazySchema(() => {
      built += 1;
      return claimShape();
    });
    expect(built).toBe(0);
    expect(schema.parse({ invoiceRef: 'R-1', amount: '812.50' })).toEqual({ invoiceRef: 'R-1', amount: '812.50' });
    expect(schema.safeParse({ invoiceRef: '', amount: '812.5' }).success).toBe(false);
    expect(built).toBe(1);
  });

  it('is the schema to zod: instanceof, composition, extend, the JSON Schema', () => {
    const lazy = lazySchema(claimShape);
    const eager = claimShape();
    expect(lazy).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(lazy.shape)).toEqual(['invoiceRef', 'amount']);
    const extended = lazy.extend({ description: z.string() });
    expect(extended.safeParse({ invoiceRef: 'R-1', amount: '1.00' }).success).toBe(false);
    expect(extended.parse({ invoiceRef: 'R-1', amount: '1.00', description: 'Huur' })).toMatchObject({ description: 'Huur' });
    const batch = z.object({ claims: z.array(lazy).min(1) });
    expect(batch.safeParse({ claims: [{ invoiceRef: 'R-1', amount: '1.00', extra: true }] }).success).toBe(false);
    expect(z.toJSONSchema(batch)).toEqual(z.toJSONSchema(z.object({ claims: z.array(eager).min(1) })));
    expect(z.toJSONSchema(lazy.optional())).toEqual(z.toJSONSchema(eager.optional()));
  });
});
