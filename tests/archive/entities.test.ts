// Entities in markup-free text (titles, petition text, feed fields) are decoded as an HTML parser decodes text,
// without loading one: the result is the same as htmlparser2's for any text, entities or not.
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { decodeEntities, inert } from '../../src/archive/entities.js';
import { withoutUnsafeCharacters } from '../../src/archive/text.js';

/** What the parser makes of the text as HTML text (a `<` kept as a `<`), then made safe as before. */
function parsed(text: string): string {
  let decoded = '';
  const parser = new Parser({ ontext: (t) => (decoded += t) }, { decodeEntities: true });
  parser.write(text.replace(/</g, '&lt;'));
  parser.end();
  return inert(withoutUnsafeCharacters(decoded));
}

const pieces = fc.constantFrom(
  '&amp;',
  '&amp',
  '&lt;script&gt;',
  '&#39;',
  '&#x27;',
  '&#0;',
  '&#x1F600;',
  '&nbsp;',
  '&notit;',
  '&copy2024',
  '&bogus;',
  '&',
  '&#',
  '&#x;',
  'AT&T',
  '<b>',
  'javascript:',
  ' ',
  'Napo',
);

describe('decodeEntities', () => {
  it('decodes as an HTML parser decodes text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 6 })), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(decodeEntities(text)).toBe(parsed(text));
      }),
      { numRuns: 500 },
    );
  });

  it('reads the entities titles and petition text carry', () => {
    expect(decodeEntities('It&#39;s &amp; it&rsquo;s')).toBe("It's & it\u2019s");
    expect(decodeEntities('&lt;script&gt;alert(1)')).toBe('\u2039script>alert(1)');
    expect(decodeEntities('no entities')).toBe('no entities');
  });
});
