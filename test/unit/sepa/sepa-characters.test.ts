import { describe, expect, it } from 'vitest';
import { SepaIdRefused, isSepaSafeId, isSepaText, sepaId, sepaIdProblem, sepaMaxLength, toSepaText } from '../../../shared/sepa/sepa-characters.js';

/** Issue 13: text in a SEPA file uses the SEPA character set (interfaces.md §1.3). */
describe('the SEPA character set', () => {
  it('transliterates diacritics to basic Latin', () => {
    expect(toSepaText('Öztürk-Çelik Žofie', 70)).toBe('Ozturk-Celik Zofie');
    expect(toSepaText('Zoë Brontë, Ålesund (Noorwegen)', 70)).toBe('Zoe Bronte, Alesund (Noorwegen)');
    expect(toSepaText('Łukasz Straße Ærø Œuvre', 70)).toBe('Lukasz Strasse AEro OEuvre');
    expect(toSepaText('Ĳsselmeer ﬁetsenstalling Ｎｏｏｒｄ', 70)).toBe('IJsselmeer fietsenstalling Noord');
  });

  it('keeps the meaning of common punctuation and turns anything else into a space', () => {
    expect(toSepaText('Jansen & Zn. “Huur” – juli; €812', 70)).toBe("Jansen + Zn. 'Huur' - juli, 812");
    expect(toSepaText('van der Berg * ☃ 李 # Janssen', 70)).toBe('van der Berg Janssen');
    expect(toSepaText('  twee\tregels\nachter   elkaar  ', 70)).toBe('twee regels achter elkaar');
  });

  it('cuts to the maximum length after transliteration, without a trailing space', () => {
    expect(toSepaText('ß'.repeat(40), sepaMaxLength.name)).toHaveLength(70);
    expect(toSepaText(`${'a'.repeat(69)} b`, 70)).toBe('a'.repeat(69));
    expect(toSepaText('x'.repeat(200), sepaMaxLength.remittance)).toHaveLength(140);
  });

  it('every result is inside the set', () => {
    const samples = ['Ĳsselmeer ﬁets', 'Ἀθῆναι', 'Ørsted&Co <tag>', 'naïve café', '\u0000\u200b'];
    for (const sample of samples) expect(isSepaText(toSepaText(sample, 140))).toBe(true);
    expect(isSepaText('Öz')).toBe(false);
  });

  it('refuses ids outside the set instead of changing them', () => {
    expect(isSepaSafeId('ADV-000123-202607')).toBe(true);
    expect(isSepaSafeId("MND/2024/0001:(a)+.,'?")).toBe(true);
    expect(sepaIdProblem('')).toMatch(/empty/);
    expect(sepaIdProblem('MND 0001')).toMatch(/" "/);
    expect(sepaIdProblem('MND-Ö1')).toMatch(/"Ö"/);
    expect(sepaIdProblem('/MND1')).toMatch(/start or end/);
    expect(sepaIdProblem('MND1/')).toMatch(/start or end/);
    expect(sepaIdProblem('MND//1')).toMatch(/\/\//);
    expect(sepaIdProblem('x'.repeat(35))).toBeNull();
    expect(sepaIdProblem('x'.repeat(36))).toMatch(/36 characters/);
    expect(() => sepaId('EndToEndId', 'ADV_1')).toThrow(SepaIdRefused);
    expect(() => sepaId('EndToEndId', 'ADV_1')).toThrow(/EndToEndId "ADV_1"/);
  });
});
