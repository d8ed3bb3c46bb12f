// A console line read as Discord shows a command, checked against the
// command's own Discord definition: what an operator types, what the command
// then sees, and the one line they get when they typed something wrong.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { UserProblem } from '../../src/app/userProblem.js';
import { lineOptions } from '../../src/console/options.js';
import { consoleUsage } from '../../src/console/optionValues.js';
import { definedOptions, type CommandOptions } from '../../src/discord/command.js';

const command = (name: string) => commands.find((c) => c.name === name)!;
const read = (name: string, line: string): CommandOptions => lineOptions(name, line, definedOptions(command(name)));

/** The one line a mistake gets, or a failure when the line was accepted. */
function problem(name: string, line: string): string {
  try {
    read(name, line);
  } catch (error) {
    if (error instanceof UserProblem) return error.message;
    throw error;
  }
  throw new Error(`"${line}" was accepted`);
}

describe('reading options from a console line', () => {
  it('reads name:"quoted value" and name:value as Discord shows them', () => {
    const options = read('search', 'query:"mass supervision" in:comments');
    expect(options.string('query')).toBe('mass supervision');
    expect(options.string('in')).toBe('comments');
    expect(options.string('author')).toBeNull();
  });

  it('lets an unquoted value run on to the next option, and gives integers as numbers', () => {
    const options = read('search', 'query:mass supervision from:2022 author: Getafix');
    expect(options.string('query')).toBe('mass supervision');
    expect(options.integer('from')).toBe(2022);
    expect(options.string('author')).toBe('Getafix');
  });

  it('fills the first option with the plain words before any option', () => {
    expect(read('search', 'pqip workload').string('query')).toBe('pqip workload');
    expect(read('onthisday', '2023-11-23').string('date')).toBe('2023-11-23');
    expect(read('digest', '2023-11-23').string('date')).toBe('2023-11-23');
    const both = read('search', 'probation treadmill in:posts');
    expect(both.string('query')).toBe('probation treadmill');
    expect(both.string('in')).toBe('posts');
  });

  it('keeps the quotes of plain words, which make an exact phrase in a search', () => {
    expect(read('search', '"mass supervision" -pqip').string('query')).toBe('"mass supervision" -pqip');
  });

  it('does not take an address or a time of day for an option', () => {
    expect(read('search', 'https://probationmatters.blogspot.com/2022/07/ treadmill').string('query')).toBe(
      'https://probationmatters.blogspot.com/2022/07/ treadmill',
    );
    expect(read('search', 'meeting at 10:30').string('query')).toBe('meeting at 10:30');
  });

  it('takes a choice by the name Discord shows for it, and a subcommand as the first word', () => {
    const announce = read('config', 'announce what:"Napo news" enabled:off');
    expect(announce.subcommand()).toBe('announce');
    expect(announce.string('what')).toBe('napo');
    expect(announce.boolean('enabled')).toBe(false);
    const digest = read('config', 'digest time:07:30 timezone:Europe/Paris');
    expect(digest.subcommand()).toBe('digest');
    expect(digest.string('time')).toBe('07:30');
    expect(digest.string('timezone')).toBe('Europe/Paris');
  });
});

describe('one line naming the option when the line is wrong', () => {
  it('lists the options when one is unknown', () => {
    expect(problem('search', 'probation title:napo')).toBe(
      '/search has no option "title": its options: query: author: from: to: in: mention: order:',
    );
    expect(problem('stats', 'now')).toBe('/stats takes no options ("now" given).');
  });

  it('refuses a bad integer, an integer out of range and a value that is not a choice', () => {
    expect(problem('search', 'probation from:20x')).toBe('from: "20x" is not a whole number.');
    expect(problem('search', 'probation from:1999')).toBe('from: 1999 is below 2000.');
    expect(problem('search', 'probation to:2101')).toBe('to: 2101 is above 2100.');
    expect(problem('search', 'probation in:blogs')).toBe('in: "blogs" is not one of posts, comments, all.');
    expect(problem('config', 'announce what:everything')).toBe(
      'what: "everything" is not one of posts, petition, napo.',
    );
  });

  it('refuses what Discord refuses: a missing required option, a value too long or too short, a value given twice', () => {
    expect(problem('search', 'in:comments')).toBe('/search needs query: Words to look for.');
    expect(problem('quote', '')).toBe('/quote needs passage: Start typing: pick a passage from the suggestions.');
    expect(problem('search', 'x'.repeat(201))).toBe('query: at most 200 characters (201 given): Words to look for.');
    expect(problem('onthisday', 'tomorrow')).toBe(
      'date: at least 10 characters ("tomorrow" has 8): Another date, as YYYY-MM-DD (default today).',
    );
    expect(problem('search', 'probation from:2020 from:2021')).toBe('from: given twice; give it once.');
    expect(problem('search', 'probation in:')).toBe('in: no value given (in:posts|comments|all).');
    expect(problem('config', 'everything')).toBe(
      '/config needs one of: show, digest, announce, hide, unhide, petition.',
    );
  });

  it('says that members and channels are for Discord', () => {
    expect(problem('search', 'probation mention:Getafix')).toBe(
      'mention: works on Discord only (the console has no members, channels or files).',
    );
  });

  it('never fails any other way, whatever is typed', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom('query:', 'in:', 'from:', 'date:', 'what:', '"', ':', 'https://x', 'digest', 'announce'),
      fc.constantFrom(' ', '\t', '\r', '\n', '\u2028', '\u00a0', '\ufeff', '\u202e', '1e3', '-0', '99999999999999999'),
    );
    fc.assert(
      fc.property(fc.constantFrom(...commands.map((c) => c.name)), fc.array(piece, { maxLength: 8 }), (name, parts) => {
        try {
          read(name, parts.join(' '));
        } catch (error) {
          if (!(error instanceof UserProblem)) throw error;
          expect(error.message).not.toMatch(/[\n\r\u2028\u2029]/);
        }
      }),
      { numRuns: 300, seed: 20_231_123 },
    );
  });
});

describe('usage lines', () => {
  it('are written from the definition: the first option bare, the others by name, choices spelled out', () => {
    expect(consoleUsage('search', definedOptions(command('search')))).toBe(
      '/search <query> [author:…] [from:N] [to:N] [in:posts|comments|all] [order:relevance|newest|oldest]',
    );
    expect(consoleUsage('onthisday', definedOptions(command('onthisday')))).toBe('/onthisday [date]');
    expect(consoleUsage('config', definedOptions(command('config')))).toBe(
      '/config show|digest|announce|hide|unhide|petition',
    );
  });
});
