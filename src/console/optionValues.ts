// One typed console value checked against its Discord definition — type,
// choices, length and range — as Discord's own client checks it before a
// command is sent; and a command's usage line written from the same definition.
import { ApplicationCommandOptionType as Type } from 'discord-api-types/payloads/v10';
import type { APIApplicationCommandBasicOption, APIApplicationCommandOption } from 'discord.js';
import { UserProblem } from '../app/userProblem.js';

export type OptionValue = string | number | boolean;

const BOOLEANS: Record<string, boolean> = { true: true, yes: true, on: true, false: false, no: false, off: false };

export function checkedValue(option: APIApplicationCommandBasicOption, raw: string): OptionValue {
  const name = option.name;
  if (!raw) throw new UserProblem(`${name}: no value given (${name}:${hint(option)}).`);
  switch (option.type) {
    case Type.String:
      return checkedString(option, raw);
    case Type.Integer:
    case Type.Number:
      return checkedNumber(option, raw);
    case Type.Boolean: {
      const value = BOOLEANS[raw.toLowerCase()];
      if (value === undefined) throw new UserProblem(`${name}: "${short(raw)}" is not true or false.`);
      return value;
    }
    default:
      throw new UserProblem(`${name}: works on Discord only (the console has no members, channels or files).`);
  }
}

function checkedString(option: Extract<APIApplicationCommandBasicOption, { type: Type.String }>, raw: string): string {
  const { name, choices, min_length: min, max_length: max } = option;
  if (choices?.length) return chosen(name, choices, raw);
  if (min !== undefined && raw.length < min) {
    throw new UserProblem(
      `${name}: at least ${min} characters ("${short(raw)}" has ${raw.length}): ${option.description}.`,
    );
  }
  if (max !== undefined && raw.length > max) {
    throw new UserProblem(`${name}: at most ${max} characters (${raw.length} given): ${option.description}.`);
  }
  return raw;
}

function checkedNumber(
  option: Extract<APIApplicationCommandBasicOption, { type: Type.Integer | Type.Number }>,
  raw: string,
): number {
  const { name, choices, min_value: min, max_value: max } = option;
  const whole = option.type === Type.Integer;
  const value = Number(raw);
  if (!(whole ? /^[+-]?\d{1,15}$/ : /^[+-]?(\d+\.?\d*|\.\d+)$/).test(raw) || !Number.isFinite(value)) {
    throw new UserProblem(`${name}: "${short(raw)}" is not a ${whole ? 'whole number' : 'number'}.`);
  }
  if (choices?.length) return chosen(name, choices, raw);
  if (min !== undefined && value < min) throw new UserProblem(`${name}: ${value} is below ${min}.`);
  if (max !== undefined && value > max) throw new UserProblem(`${name}: ${value} is above ${max}.`);
  return value;
}

/** A choice typed by its value or by the name Discord shows for it, in any case. */
function chosen<T extends string | number>(
  name: string,
  choices: readonly { name: string; value: T }[],
  raw: string,
): T {
  const typed = raw.toLowerCase();
  const match = choices.find((c) => String(c.value).toLowerCase() === typed || c.name.toLowerCase() === typed);
  if (match) return match.value;
  throw new UserProblem(`${name}: "${short(raw)}" is not one of ${choices.map((c) => c.value).join(', ')}.`);
}

/** What was typed, as one short line in a problem. */
export function short(raw: string): string {
  const flat = raw.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}

/** What a value looks like, for usage lines and "no value" problems. */
function hint(option: APIApplicationCommandBasicOption): string {
  if ('choices' in option && option.choices?.length) return option.choices.map((c) => c.value).join('|');
  if (option.type === Type.Integer || option.type === Type.Number) return 'N';
  if (option.type === Type.Boolean) return 'true|false';
  return '…';
}

/** `/search <query> [author:…] [in:posts|comments|all]`: how to type a command, from its definition. */
export function consoleUsage(command: string, definition: readonly APIApplicationCommandOption[]): string {
  const subcommands = definition.filter((o) => o.type === Type.Subcommand);
  if (subcommands.length > 0) return `/${command} ${subcommands.map((s) => s.name).join('|')}`;
  const parts = definition.flatMap((option, i) => {
    if (option.type === Type.SubcommandGroup || option.type === Type.Subcommand) return [];
    if (!TYPED_IN_CONSOLE.has(option.type)) return [];
    // Plain words fill the first option, so it needs no name.
    const shown = i === 0 ? option.name : `${option.name}:${hint(option)}`;
    return [option.required ? (i === 0 ? `<${shown}>` : shown) : `[${shown}]`];
  });
  return [`/${command}`, ...parts].join(' ');
}

const TYPED_IN_CONSOLE = new Set([Type.String, Type.Integer, Type.Number, Type.Boolean]);
