// Discord's rules for command definitions. The definitions are plain JSON (no builders at start), so what the
// builders checked as they built is checked here instead: with @discordjs/builders' own validators where it exports
// them, and Discord's documented rules directly where it does not. Each rule is shown to reject a broken definition,
// so the check cannot pass by checking nothing.
import { ContextMenuCommandAssertions, SlashCommandAssertions } from '@discordjs/builders';
import { ApplicationCommandOptionType, ApplicationCommandType, ChannelType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';

/** What Discord counts towards a command's size: names, descriptions and choices, throughout. */
const MOST_CHARACTERS = 4000;
const MOST_ENTRIES: Record<number, number> = {
  [ApplicationCommandType.ChatInput]: 100,
  [ApplicationCommandType.User]: 5,
  [ApplicationCommandType.Message]: 5,
};
/** The channel types an option may be limited to (the builders' list). */
const OPTION_CHANNEL_TYPES: readonly number[] = [
  ChannelType.GuildText,
  ChannelType.GuildVoice,
  ChannelType.GuildCategory,
  ChannelType.GuildAnnouncement,
  ChannelType.AnnouncementThread,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.GuildStageVoice,
  ChannelType.GuildForum,
  ChannelType.GuildMedia,
];
const MOST_TEXT_LENGTH = 6000;

type Loose = Record<string, unknown>;
const isSubcommand = (o: Loose) => o['type'] === ApplicationCommandOptionType.Subcommand;
const isGroup = (o: Loose) => o['type'] === ApplicationCommandOptionType.SubcommandGroup;

/** Each rule broken, as `where: rule (why)`, collected rather than stopping at the first. */
interface Problems {
  found: string[];
  /** A rule checked by a validator that throws when it is broken (the builders' own). */
  validate(where: string, rule: string, validator: () => unknown): void;
  /** A rule checked here. */
  holds(where: string, rule: string, holds: boolean): void;
}

function problemList(): Problems {
  const found: string[] = [];
  return {
    found,
    validate(where, rule, validator) {
      try {
        validator();
      } catch (error) {
        found.push(`${where}: ${rule} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
      }
    },
    holds(where, rule, holds) {
      if (!holds) found.push(`${where}: ${rule}`);
    },
  };
}

/** Every rule a definition (slash command or context-menu entry) breaks; none for a good one. */
function problemsIn(definition: object): string[] {
  const problems = problemList();
  const command = definition as Loose;
  const type = command['type'] ?? ApplicationCommandType.ChatInput;
  const where = String(command['name']);
  if (type === ApplicationCommandType.ChatInput) {
    problems.validate(where, 'name', () => SlashCommandAssertions.validateName(command['name']));
    problems.validate(where, 'description', () => SlashCommandAssertions.validateDescription(command['description']));
    const options = (command['options'] ?? []) as Loose[];
    checkOptions(problems, where, options, 'command');
    problems.holds(where, `at most ${MOST_CHARACTERS} characters`, size(command) <= MOST_CHARACTERS);
  } else {
    problems.validate(where, 'context-menu entry', () =>
      ContextMenuCommandAssertions.validateRequiredParameters(command['name'] as string, type as number),
    );
    problems.holds(where, 'no description on a context-menu entry', !command['description']);
    problems.holds(where, 'no options on a context-menu entry', command['options'] === undefined);
  }
  problems.validate(where, 'default_member_permissions', () =>
    SlashCommandAssertions.validateDefaultMemberPermissions(command['default_member_permissions']),
  );
  if (command['contexts'] !== undefined) {
    problems.validate(where, 'contexts', () => SlashCommandAssertions.contextsPredicate.parse(command['contexts']));
  }
  return problems.found;
}

/** The rules for one level of options: the command's, a group's or a subcommand's. */
function checkOptions(
  problems: Problems,
  where: string,
  options: readonly Loose[],
  level: 'command' | 'group' | 'subcommand',
): void {
  problems.validate(where, 'at most 25 options', () => SlashCommandAssertions.validateMaxOptionsLength(options));
  const names = options.map((o) => o['name']);
  problems.holds(where, 'unique option names', new Set(names).size === names.length);
  const nesting = options.filter((o) => isSubcommand(o) || isGroup(o)).length;
  if (level === 'command') {
    problems.holds(where, 'subcommands not mixed with options', nesting === 0 || nesting === options.length);
  } else if (level === 'group') {
    problems.holds(where, 'a group holds subcommands only', options.every(isSubcommand));
  } else {
    problems.holds(where, 'no subcommands in a subcommand', nesting === 0);
  }
  const firstOptional = options.findIndex((o) => !o['required']);
  problems.holds(
    where,
    'required options first',
    firstOptional === -1 || options.slice(firstOptional).every((o) => !o['required']),
  );
  for (const option of options) checkOption(problems, `${where} ${String(option['name'])}`, option);
}

function checkOption(problems: Problems, where: string, option: Loose): void {
  problems.validate(where, 'name', () => SlashCommandAssertions.validateName(option['name']));
  problems.validate(where, 'description', () => SlashCommandAssertions.validateDescription(option['description']));
  if (option['required'] !== undefined) {
    problems.validate(where, 'required is true or false', () =>
      SlashCommandAssertions.validateRequired(option['required']),
    );
  }
  if (isSubcommand(option) || isGroup(option)) {
    checkOptions(problems, where, (option['options'] ?? []) as Loose[], isGroup(option) ? 'group' : 'subcommand');
    return;
  }
  checkChoices(problems, where, option);
  checkRange(problems, where, option);
  const channelTypes = option['channel_types'];
  if (channelTypes !== undefined) {
    problems.holds(
      where,
      'channel types an option may take',
      Array.isArray(channelTypes) && channelTypes.every((t) => OPTION_CHANNEL_TYPES.includes(t)),
    );
  }
}

function checkChoices(problems: Problems, where: string, option: Loose): void {
  const choices = option['choices'];
  if (choices === undefined) return;
  const list = (Array.isArray(choices) ? choices : []) as Loose[];
  problems.validate(where, 'at most 25 choices', () => SlashCommandAssertions.validateChoicesLength(list.length, []));
  problems.holds(where, 'choices or autocomplete, not both', !(option['autocomplete'] && list.length > 0));
  for (const choice of list) {
    const name = choice['name'];
    const value = choice['value'];
    problems.holds(
      where,
      'choice names of 1–100 characters',
      typeof name === 'string' && name.length >= 1 && name.length <= 100,
    );
    const valueFits =
      option['type'] === ApplicationCommandOptionType.String
        ? typeof value === 'string' && value.length >= 1 && value.length <= 100
        : option['type'] === ApplicationCommandOptionType.Integer
          ? Number.isSafeInteger(value)
          : typeof value === 'number' && Number.isFinite(value);
    problems.holds(where, "choice values of the option's type", valueFits);
  }
}

/** Lengths (text options) and values (numbers) within Discord's bounds, the least no more than the most. */
function checkRange(problems: Problems, where: string, option: Loose): void {
  const inRange = (key: string, least: number, most: number, whole: boolean) => {
    const value = option[key];
    return (
      value === undefined ||
      (typeof value === 'number' && value >= least && value <= most && (!whole || Number.isInteger(value)))
    );
  };
  const ordered = (low: string, high: string) =>
    option[low] === undefined || option[high] === undefined || (option[low] as number) <= (option[high] as number);
  problems.holds(
    where,
    `min_length and max_length within 0–${MOST_TEXT_LENGTH}`,
    inRange('min_length', 0, MOST_TEXT_LENGTH, true) && inRange('max_length', 1, MOST_TEXT_LENGTH, true),
  );
  problems.holds(where, 'min_length no more than max_length', ordered('min_length', 'max_length'));
  const whole = option['type'] === ApplicationCommandOptionType.Integer;
  problems.holds(
    where,
    'whole min_value and max_value for an integer',
    inRange('min_value', -Infinity, Infinity, whole) && inRange('max_value', -Infinity, Infinity, whole),
  );
  problems.holds(where, 'min_value no more than max_value', ordered('min_value', 'max_value'));
}

/** Discord's count for a command's size: every name, description and choice (name and value), throughout. */
function size(item: Loose): number {
  const text = (value: unknown) => (value === undefined ? 0 : String(value).length);
  const options = (item['options'] ?? []) as Loose[];
  const choices = (item['choices'] ?? []) as Loose[];
  return (
    text(item['name']) +
    text(item['description']) +
    options.reduce((sum, o) => sum + size(o), 0) +
    choices.reduce((sum, c) => sum + text(c['name']) + text(c['value']), 0)
  );
}

/** Rules for the whole list registered in one overwrite: names unique per kind, and Discord's counts per kind. */
function problemsInList(definitions: readonly object[]): string[] {
  const problems = problemList();
  const byType = new Map<number, string[]>();
  for (const d of definitions as Loose[]) {
    const type = Number(d['type'] ?? ApplicationCommandType.ChatInput);
    byType.set(type, [...(byType.get(type) ?? []), String(d['name'])]);
  }
  for (const [type, names] of byType) {
    problems.holds(`type ${type}`, 'unique command names', new Set(names).size === names.length);
    problems.holds(`type ${type}`, 'at most as many as Discord allows', names.length <= (MOST_ENTRIES[type] ?? 0));
  }
  return problems.found;
}

const registered = commands.flatMap((c) => (c.data ? [c.data] : []));
const consoleOnly = commands.filter((c) => !c.data && c.consoleOptions);

describe('command definitions follow Discord’s rules', () => {
  it('has definitions of each kind to check', () => {
    expect(registered.length).toBeGreaterThan(5);
    expect(registered.some((d) => d.type === ApplicationCommandType.Message)).toBe(true);
    expect(
      registered.some(
        (d) => 'options' in d && d.options?.some((o) => o.type === ApplicationCommandOptionType.Subcommand),
      ),
    ).toBe(true);
    expect(consoleOnly.length).toBeGreaterThan(0);
  });

  it.each(registered.map((d) => [d.name, d] as const))('%s', (_name, definition) => {
    expect(problemsIn(definition)).toEqual([]);
  });

  // Never registered, but defined as Discord would show them: the same rules keep them honest.
  it.each(consoleOnly.map((c) => [c.name, c.consoleOptions!] as const))('%s (console options)', (name, options) => {
    expect(problemsIn(chatInput({ name, description: 'Console only', options }))).toEqual([]);
  });

  it('registers a list Discord accepts in one overwrite', () => {
    expect(problemsInList(registered)).toEqual([]);
  });
});

// Small, clearly fake definitions, loosely typed so that they can break the rules: a good one, then each broken in
// one way only.
const chatInput = (change: Loose = {}): Loose => ({
  type: ApplicationCommandType.ChatInput,
  name: 'fake',
  description: 'A fake command',
  ...change,
});
const text = (change: Loose = {}): Loose => ({
  type: ApplicationCommandOptionType.String,
  name: 'words',
  description: 'Some words',
  required: false,
  ...change,
});
const integer = (change: Loose = {}) => text({ type: ApplicationCommandOptionType.Integer, name: 'year', ...change });
const subcommand = (name: string, options: Loose[] = []): Loose => ({
  type: ApplicationCommandOptionType.Subcommand,
  name,
  description: 'A fake subcommand',
  options,
});
const group = (options: Loose[]): Loose => ({
  type: ApplicationCommandOptionType.SubcommandGroup,
  name: 'group',
  description: 'A fake group',
  options,
});
const choices = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `choice ${i}`, value: `c${i}` }));
const menuEntry = (change: Loose = {}): Loose => ({
  type: ApplicationCommandType.Message,
  name: 'Fake entry',
  ...change,
});

describe('the rules reject what Discord would refuse', () => {
  it('accepts the good fakes', () => {
    expect(problemsIn(chatInput({ options: [text({ required: true }), text({ name: 'more' })] }))).toEqual([]);
    expect(problemsIn(chatInput({ options: [subcommand('one', [text()]), group([subcommand('two')])] }))).toEqual([]);
    expect(problemsIn(menuEntry())).toEqual([]);
    expect(problemsInList([chatInput(), menuEntry()])).toEqual([]);
  });

  it.each<[string, Loose]>([
    ['name', chatInput({ name: 'x'.repeat(33) })],
    ['name', chatInput({ name: '' })],
    ['name', chatInput({ name: 'Fake' })],
    ['name', chatInput({ name: 'two words' })],
    ['name', chatInput({ options: [text({ name: 'Words' })] })],
    ['description', chatInput({ description: '' })],
    ['description', chatInput({ description: 'x'.repeat(101) })],
    ['description', chatInput({ options: [text({ description: 'x'.repeat(101) })] })],
    ['at most 25 options', chatInput({ options: Array.from({ length: 26 }, (_, i) => text({ name: `o${i}` })) })],
    [
      'at most 25 options',
      chatInput({
        options: [
          subcommand(
            'one',
            Array.from({ length: 26 }, (_, i) => text({ name: `o${i}` })),
          ),
        ],
      }),
    ],
    ['unique option names', chatInput({ options: [text(), text()] })],
    ['subcommands not mixed with options', chatInput({ options: [subcommand('one'), text()] })],
    ['a group holds subcommands only', chatInput({ options: [group([text()])] })],
    ['no subcommands in a subcommand', chatInput({ options: [subcommand('one', [subcommand('two')])] })],
    ['required options first', chatInput({ options: [text(), text({ name: 'later', required: true })] })],
    ['required is true or false', chatInput({ options: [text({ required: 'yes' })] })],
    ['at most 25 choices', chatInput({ options: [text({ choices: choices(26) })] })],
    ['choice names of 1–100 characters', chatInput({ options: [text({ choices: [{ name: '', value: 'a' }] })] })],
    [
      'choice names of 1–100 characters',
      chatInput({ options: [text({ choices: [{ name: 'x'.repeat(101), value: 'a' }] })] }),
    ],
    ["choice values of the option's type", chatInput({ options: [text({ choices: [{ name: 'a', value: '' }] })] })],
    ["choice values of the option's type", chatInput({ options: [integer({ choices: [{ name: 'a', value: 1.5 }] })] })],
    ['choices or autocomplete, not both', chatInput({ options: [text({ autocomplete: true, choices: choices(2) })] })],
    ['min_length and max_length within 0–6000', chatInput({ options: [text({ max_length: 6001 })] })],
    ['min_length and max_length within 0–6000', chatInput({ options: [text({ max_length: 0 })] })],
    ['min_length no more than max_length', chatInput({ options: [text({ min_length: 10, max_length: 5 })] })],
    ['whole min_value and max_value for an integer', chatInput({ options: [integer({ min_value: 1.5 })] })],
    ['min_value no more than max_value', chatInput({ options: [integer({ min_value: 2100, max_value: 2000 })] })],
    [
      'channel types an option may take',
      chatInput({
        options: [
          {
            type: ApplicationCommandOptionType.Channel,
            name: 'where',
            description: 'A channel',
            channel_types: [ChannelType.DM],
          },
        ],
      }),
    ],
    [
      'at most 4000 characters',
      chatInput({
        options: Array.from({ length: 25 }, (_, i) =>
          text({ name: `o${i}`, description: 'x'.repeat(100), choices: choices(25) }),
        ),
      }),
    ],
    ['default_member_permissions', chatInput({ default_member_permissions: 'Manage Server' })],
    ['contexts', chatInput({ contexts: [7] })],
    ['context-menu entry', menuEntry({ name: 'x'.repeat(33) })],
    ['context-menu entry', menuEntry({ name: ' ' })],
    ['context-menu entry', menuEntry({ type: ApplicationCommandType.PrimaryEntryPoint })],
    ['no description on a context-menu entry', menuEntry({ description: 'Not allowed here' })],
    ['no options on a context-menu entry', menuEntry({ options: [text()] })],
    ['default_member_permissions', menuEntry({ default_member_permissions: '-1' })],
  ])('%s', (rule, broken) => {
    const found = problemsIn(broken);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`: ${rule}`);
  });

  it('unique command names per kind', () => {
    expect(problemsInList([chatInput(), chatInput()])).toEqual(['type 1: unique command names']);
    expect(problemsInList([chatInput(), menuEntry({ name: 'fake' })])).toEqual([]);
  });

  it('at most as many of each kind as Discord allows', () => {
    const sixEntries = Array.from({ length: 6 }, (_, i) => menuEntry({ name: `Fake entry ${i}` }));
    expect(problemsInList(sixEntries)).toEqual(['type 3: at most as many as Discord allows']);
  });
});
