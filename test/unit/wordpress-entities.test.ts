import { decodeHTML } from 'entities';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWordPressEntities, wordPressEntityNames } from '#functions/storefronts/wordpress-entities.ts';

describe('the character references WooCommerce sends', () => {
  it('decodes every name WordPress keeps as a full HTML decoder does', () => {
    expect(wordPressEntityNames()).toHaveLength(253);
    for (const name of wordPressEntityNames())
      expect(decodeWordPressEntities(`&${name};`), name).toBe(decodeHTML(`&${name};`));
  });

  it('decodes text mixing names, decimal and hex references as a full decoder does (property)', () => {
    const reference = fc.oneof(
      fc.constantFrom(...wordPressEntityNames()).map((name) => `&${name};`),
      fc
        .integer({ min: 0x20, max: 0x10ffff })
        .filter((cp) => cp < 0xd800 || cp > 0xdfff)
        .map((cp) => `&#${cp};`),
      fc
        .integer({ min: 0x20, max: 0xffff })
        .filter((cp) => cp < 0xd800 || cp > 0xdfff)
        .map((cp) => `&#x${cp.toString(16)};`),
    );
    const text = fc.string({ maxLength: 8 }).map((s) => s.replaceAll('&', ''));
    fc.assert(
      fc.property(fc.array(fc.oneof(reference, text), { maxLength: 12 }), (parts) => {
        const encoded = parts.join('');
        expect(decodeWordPressEntities(encoded)).toBe(decodeHTML(encoded));
      }),
    );
  });

  it('decodes once, as WordPress escaped once, and leaves what it does not know', () => {
    expect(decodeWordPressEntities('Ship Your Idea &ndash; Color: Black')).toBe(
      'Ship Your Idea – Color: Black',
    );
    expect(decodeWordPressEntities('&amp;ndash; is literal')).toBe('&ndash; is literal');
    // A numeric reference in 0x80–0x9F means its Windows-1252 character.
    expect(decodeWordPressEntities('&#130;&#x96;&#150;&#129;')).toBe('‚––\u0081');
    expect(decodeWordPressEntities('R&D &unknownname; &#0; &#xD800;')).toBe(
      'R&D &unknownname; &#0; &#xD800;',
    );
  });
});
