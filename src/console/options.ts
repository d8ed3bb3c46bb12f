// A console line read the way Discord shows a command: `name:value` and
// `name:"quoted value"` (a value runs to the next `name:`), plain words before
// any option filling the first one, every value checked against the command's
// own Discord definition so the console accepts what Discord accepts. A
// mistake is one line naming the option.
import { ApplicationCommandOptionType as Type } from 'discord-api-types/payloads/v10';
import type { APIApplicationCommandBasicOption, APIApplicationCommandOption } from 'discord.js';
import { UserProblem } from '../app/userProblem.js';
import type { CommandOptions } from '../discord/command.js';
import { checkedValue, short, type OptionValue } from './optionValues.js';

/** What the line gave: an option by name, or (name null) the plain words before any. */
interface Given {
  name: string | null;
  raw: string;
}

/** `name:` at a word's start; not `https://`, whose colon starts an address, not an option. */
const OPTION_START = /^([a-z][\w-]*):(?!\/\/)/i;
/** A word: runs of anything but spaces, where a quoted span, spaces and all, counts as part of the word. */
const WORD = /(?:"[^"]*(?:"|$)|[^\s"]+)+/g;

export function lineOptions(
  command: string,
  line: string,
  definition: readonly APIApplicationCommandOption[],
): CommandOptions {
  const { subcommand, options, given } = withSubcommand(command, pieces(line), definition);
  const values = new Map<string, OptionValue>();
  for (const piece of given) {
    const option = optionFor(command, piece, options);
    if (values.has(option.name)) throw new UserProblem(`${option.name}: given twice; give it once.`);
    values.set(option.name, checkedValue(option, piece.raw));
  }
  const missing = options.find((o) => o.required && !values.has(o.name));
  if (missing) throw new UserProblem(`/${command} needs ${missing.name}: ${missing.description}.`);
  return valuesAsOptions(values, subcommand);
}

/** The line cut into the plain words before any option, then one piece per `name:value`. */
export function pieces(line: string): Given[] {
  const found: { name: string | null; start: number; end: number }[] = [];
  for (const word of line.matchAll(WORD)) {
    const start = word.index;
    const end = start + word[0].length;
    const option = OPTION_START.exec(word[0]);
    const last = found.at(-1);
    if (option) found.push({ name: option[1]!.toLowerCase(), start: start + option[0].length, end });
    else if (last) last.end = end;
    else found.push({ name: null, start, end });
  }
  return found.map(({ name, start, end }) => {
    const raw = line.slice(start, end).trim();
    // A named value's quotes only hold it together; plain words keep theirs (a search's "exact phrase").
    return { name, raw: name === null ? raw : raw.replace(/^"([^"]*)"$/, '$1') };
  });
}

/** A command with subcommands takes the first plain word as the subcommand, and the rest as its options. */
function withSubcommand(
  command: string,
  given: Given[],
  definition: readonly APIApplicationCommandOption[],
): { subcommand: string | null; options: readonly APIApplicationCommandBasicOption[]; given: Given[] } {
  const subcommands = definition.filter((o) => o.type === Type.Subcommand);
  if (subcommands.length === 0) return { subcommand: null, options: basic(definition), given };
  const [plain, ...named] = given[0]?.name === null ? given : [{ name: null, raw: '' }, ...given];
  const [word = '', ...rest] = plain!.raw.split(/\s+/);
  const chosen = subcommands.find((s) => s.name === word.toLowerCase());
  if (!chosen) throw new UserProblem(`/${command} needs one of: ${subcommands.map((s) => s.name).join(', ')}.`);
  const remaining = rest.join(' ');
  return {
    subcommand: chosen.name,
    options: chosen.options ?? [],
    given: remaining ? [{ name: null, raw: remaining }, ...named] : named,
  };
}

function basic(definition: readonly APIApplicationCommandOption[]): APIApplicationCommandBasicOption[] {
  return definition.filter(
    (o): o is APIApplicationCommandBasicOption => o.type !== Type.Subcommand && o.type !== Type.SubcommandGroup,
  );
}

/** The option a piece fills: plain words the first one, a name its own; anything else one line listing them. */
function optionFor(
  command: string,
  piece: Given,
  options: readonly APIApplicationCommandBasicOption[],
): APIApplicationCommandBasicOption {
  if (piece.name === null) {
    if (options[0]) return options[0];
    throw new UserProblem(`/${command} takes no options ("${short(piece.raw)}" given).`);
  }
  const option = options.find((o) => o.name === piece.name);
  if (option) return option;
  const known = options.length > 0 ? `its options: ${options.map((o) => `${o.name}:`).join(' ')}` : 'it takes none';
  throw new UserProblem(`/${command} has no option "${piece.name}": ${known}`);
}

/** The checked values, read through the same interface as Discord's options. */
function valuesAsOptions(values: ReadonlyMap<string, OptionValue>, subcommand: string | null): CommandOptions {
  return {
    string: (name) => {
      const value = values.get(name);
      return typeof value === 'string' ? value : null;
    },
    integer: (name) => {
      const value = values.get(name);
      return typeof value === 'number' ? value : null;
    },
    boolean: (name) => {
      const value = values.get(name);
      return typeof value === 'boolean' ? value : null;
    },
    // The console has no members or channels: checkedValue refuses those options.
    user: () => null,
    channel: () => null,
    subcommand: () => subcommand,
  };
}
