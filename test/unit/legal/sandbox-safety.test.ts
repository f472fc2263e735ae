import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The legal core is bundled into Temporal workflow code: no Node built-ins, no I/O, no clock, no
 * randomness, and no dependency but decimal.js and zod. This reads the sources and checks.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const sources = [
  'shared/money.ts',
  ...readdirSync(join(root, 'shared/calendar')).filter((f) => f.endsWith('.ts')).map((f) => `shared/calendar/${f}`),
  ...readdirSync(join(root, 'shared/legal')).filter((f) => f.endsWith('.ts')).map((f) => `shared/legal/${f}`),
];

describe('sandbox safety of the legal core', () => {
  it.each(sources)('%s imports only decimal.js, zod and its own .js modules, and reads no clock or randomness', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const specifiers = [...text.matchAll(/\bfrom\s+'([^']+)'/g)].map((m) => m[1]!);
    for (const specifier of specifiers) {
      const allowed = specifier === 'decimal.js' || specifier === 'zod' || (/^\.\.?\//.test(specifier) && specifier.endsWith('.js'));
      expect(allowed, `${file} imports ${specifier}`).toBe(true);
    }
    expect(text).not.toMatch(/\bDate\.now\(/);
    expect(text).not.toMatch(/new Date\(\s*\)/);
    expect(text).not.toMatch(/Math\.random/);
    expect(text).not.toMatch(/\bprocess\./);
    expect(text).not.toMatch(/\brequire\(/);
    expect(text).not.toMatch(/import\(/);
  });
});
