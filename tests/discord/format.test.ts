import { describe, expect, it } from 'vitest';
import {
  cutAtWord,
  embedLength,
  highlighted,
  inert,
  remoteText,
  safeUrl,
  titleLink,
  unpinged,
  withinBudget,
} from '../../src/discord/format.js';

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

describe('the rest of what format promises', () => {
  it('breaks every kind of reference Discord would render, and only those', () => {
    expect(unpinged('<@1> <@!2> <@&3> <#4> <:e:5> <a:e:6> <t:7>')).toBe(
      '<\u200b@1> <\u200b@!2> <\u200b@&3> <\u200b#4> <\u200b:e:5> <\u200ba:e:6> <t:7>',
    );
    expect(unpinged('@Everyone and @HERE')).toBe('@\u200bEveryone and @\u200bHERE');
  });

  it('escapes every asterisk of a long run (discord.js escapeMarkdown left live bold in seven)', () => {
    expect(inert('*******')).toBe('\\*'.repeat(7));
    expect(inert('a\\*b')).toBe('a\\\\\\*b');
  });

  it('escapes list markers that would turn a line into a list', () => {
    expect(inert('- item\n1. first')).toBe('\\- item\n1\\. first');
    // A numbered line of two digits is a list item too, and keeps both its digits.
    expect(inert('12. twelfth\n  305. far down')).toBe('12\\. twelfth\n  305\\. far down');
  });

  it('cuts before a trailing comma or dash, and inside a word only when the word is very long', () => {
    expect(cutAtWord('one two, three four', 10)).toBe('one two…');
    expect(cutAtWord('one two – three four', 10)).toBe('one two…');
    // A run of them goes whole, not only its last: no "beta ,…".
    expect(cutAtWord('alpha beta ,; gamma delta', 17)).toBe('alpha beta…');
    expect(cutAtWord('  one two  ', 7)).toBe('one two');
    const address = `see https://fake-blog.example/${'x'.repeat(40)}`;
    // The word is over 30 characters past the last space: cutting at the space would lose it all.
    expect(cutAtWord(address, 50)).toBe(`${address.slice(0, 49)}…`);
    // A last word of 30 characters (before the …) is still cut at the space before it; of 31, inside it.
    expect(cutAtWord(`abcd ${'y'.repeat(40)}`, 35)).toBe('abcd…');
    expect(cutAtWord(`abc ${'y'.repeat(40)}`, 35)).toBe(`abc ${'y'.repeat(30)}…`);
    expect(cutAtWord(`a${' b'.repeat(3)} ${'z'.repeat(40)}`, 38)).toBe('a b b b…');
  });

  it('keeps remote text on one line with single spaces', () => {
    expect(remoteText('a\n\n b\tc')).toBe('a b c');
  });

  it('links plain http as well as https, and encodes what would end a Markdown link', () => {
    expect(safeUrl('http://fake-blog.example/a<b>')).toBe('http://fake-blog.example/a%3Cb%3E');
    expect(safeUrl('ftp://fake-blog.example/')).toBeNull();
    expect(safeUrl('')).toBeNull();
    expect(safeUrl('https://fake-blog.example/?to=@everyone')).toBe('https://fake-blog.example/?to=%40everyone');
    expect(safeUrl('https://someone:secret@fake-blog.example/')).toBeNull();
    expect(safeUrl('https://fake-blog.example/?q=a\\')).toBe('https://fake-blog.example/?q=a%5C');
    expect(safeUrl(`https://fake-blog.example/${'a'.repeat(1970)}`)).toMatch(/^https:/);
    expect(safeUrl(`https://fake-blog.example/${'a'.repeat(2000)}`)).toBeNull();
    expect(titleLink('  ', 'https://fake-blog.example/')).toBe('[(no title)](https://fake-blog.example/)');
  });

  it('highlights in order, skipping empty and overlapping ranges', () => {
    const text = 'alpha beta gamma';
    expect(
      highlighted(
        text,
        [
          [11, 16],
          [0, 5],
        ],
        100,
      ),
    ).toBe('**alpha** beta **gamma**');
    expect(
      highlighted(
        text,
        [
          [6, 6],
          [0, 5],
          [3, 8],
        ],
        100,
      ),
    ).toBe('**alpha** beta gamma');
    expect(highlighted(text, [[11, 16]], 16)).toBe('alpha beta **gamma**');
  });

  it('counts every part of an embed towards the 6,000', () => {
    expect(
      embedLength({
        title: 'ab',
        description: 'cde',
        footer: { text: 'fghi' },
        author: { name: 'jklmn' },
        fields: [
          { name: 'o', value: 'pq' },
          { name: 'rst', value: 'u' },
        ],
      }),
    ).toBe(2 + 3 + 4 + 5 + 1 + 2 + 3 + 1);
    expect(embedLength({})).toBe(0);
  });
});

describe('whole items within a budget', () => {
  const more = (left: number) => `+${left}`;

  it('shows everything that fits, with no "more" line', () => {
    expect(withinBudget(['aa', 'bb', 'cc'], { budget: 8, separator: ',', more })).toBe('aa,bb,cc');
  });

  it('stops before an item that would leave no room to say how many are left', () => {
    // 'aa,bb' (5) + ',+1' (3) = 8 fits; 'aa,bb,cc' would be 8 but leaves out none.
    expect(withinBudget(['aa', 'bb', 'cc', 'dd'], { budget: 8, separator: ',', more })).toBe('aa,bb,+2');
    expect(withinBudget(['aa', 'bb', 'cc', 'dd'], { budget: 7, separator: ',', more })).toBe('aa,+3');
    expect(withinBudget(['aa', 'bb', 'cc', 'dd'], { budget: 9, separator: ',', more })).toBe('aa,bb,+2');
    expect(withinBudget(['aa', 'bb', 'cc', 'dd'], { budget: 10, separator: ',', more })).toBe('aa,bb,+2');
    // The last item needs no room for a "more" line.
    expect(withinBudget(['aa', 'bb', 'cc', 'dd'], { budget: 11, separator: ',', more })).toBe('aa,bb,cc,dd');
    expect(withinBudget(['aa', 'bb', 'cc', 'dd'], { budget: 11, separator: ', ', more })).toBe('aa, bb, +2');
  });

  it('never cuts an item, however long', () => {
    expect(withinBudget(['a-very-long-item', 'b'], { budget: 5, separator: ',', more })).toBe('+2');
  });

  it('shows at most `most`, and says how many more there are', () => {
    expect(withinBudget(['a', 'b', 'c', 'd'], { budget: 100, separator: ' ', most: 2, more })).toBe('a b +2');
    expect(withinBudget(['a', 'b'], { budget: 100, separator: ' ', most: 5, more })).toBe('a b');
  });
});
