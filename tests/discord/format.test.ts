import { describe, expect, it } from 'vitest';
import { cutAtWord, highlighted, inert, safeUrl, titleLink } from '../../src/discord/format.js';

describe('archive text made inert for Discord', () => {
  it('breaks every kind of mention', () => {
    const text = inert(
      'hi @everyone and @here, <@123456789012345678>, <@!123456789012345678>, <@&987654321098765432>, <#111111111111111111>',
    );
    expect(text).not.toMatch(/@everyone|@here|<@\d|<@!|<@&|<#\d/);
    expect(text).toContain('@\u200beveryone');
  });

  it('escapes Markdown, code fences, headings and masked links', () => {
    expect(inert('**bold** _it_ ~~s~~ ||spoiler|| `code`')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\`code\\`',
    );
    expect(inert('```js\nx\n```')).toBe('\\`\\`\\`js\nx\n\\`\\`\\`');
    expect(inert('# Heading')).toBe('\\# Heading');
    expect(inert('[click](javascript:alert(1))')).toBe('\\[click\\](javascript:alert(1))');
  });
});

describe('cutting to fit', () => {
  it('cuts at the last word that fits and says so with …', () => {
    expect(cutAtWord('one two three four', 12)).toBe('one two…');
    expect(cutAtWord('short', 12)).toBe('short');
    expect(cutAtWord('a'.repeat(50), 10)).toBe(`${'a'.repeat(9)}…`);
  });

  it('bolds matched words without letting the text open Markdown of its own', () => {
    const text = 'Probation *workload* is high';
    expect(highlighted(text, [[11, 19]], 100)).toBe('Probation \\***workload**\\* is high');
    // A highlight past the cut is dropped, not left half open.
    expect(highlighted('alpha beta gamma delta', [[17, 22]], 12)).toBe('alpha beta…');
  });

  it('links only web addresses', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('https://fake-blog.example/a (b)')).toBe('https://fake-blog.example/a%20%28b%29');
    expect(titleLink('A [fake] title', 'data:text/html,x')).toBe('A \\[fake\\] title');
  });
});
