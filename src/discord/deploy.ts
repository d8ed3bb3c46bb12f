// Registers the bot's commands with Discord — to one server with
// DISCORD_GUILD_ID (instant, for development), globally otherwise. On start the
// bot reconciles: it reads what is registered and overwrites it (one bulk PUT)
// only when it differs from its own definitions, so an upgrade never leaves
// stale commands and an unchanged start spends none of Discord's daily quota.
import {
  type APIApplicationCommand,
  type Client,
  REST,
  type RESTGetCurrentApplicationResult,
  type RESTPostAPIApplicationCommandsJSONBody,
  type RESTPutAPIApplicationCommandsResult,
  Routes,
} from 'discord.js';
import type { Logger } from 'pino';
import type { ArchiveCommand } from './command.js';

export interface DeployResult {
  scope: 'guild' | 'global';
  names: string[];
}

export async function deployCommands(options: {
  commands: readonly ArchiveCommand[];
  token: string;
  guildId?: string;
  api?: string;
}): Promise<DeployResult> {
  const rest = new REST(options.api ? { api: options.api } : {}).setToken(options.token);
  const application = (await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult;
  const route = commandsRoute(application.id, options.guildId);
  const registered = (await rest.put(route, {
    body: definitions(options.commands),
  })) as RESTPutAPIApplicationCommandsResult;
  return { scope: options.guildId ? 'guild' : 'global', names: registered.map((c) => c.name) };
}

export interface ReconcileResult extends DeployResult {
  /** Whether the registered commands differed and were overwritten. */
  changed: boolean;
}

/**
 * Compare the commands registered with Discord (the guild's with `guildId`, else the global ones) with `commands`;
 * only when they differ, overwrite them with one bulk PUT. `rest` is the bot's own client REST (its token set).
 */
export async function reconcileCommands(options: {
  rest: Pick<REST, 'get' | 'put'>;
  applicationId: string;
  commands: readonly ArchiveCommand[];
  guildId?: string;
}): Promise<ReconcileResult> {
  const route = commandsRoute(options.applicationId, options.guildId);
  const scope = options.guildId ? 'guild' : 'global';
  const body = definitions(options.commands);
  const registered = (await options.rest.get(route, {
    query: new URLSearchParams({ with_localizations: 'true' }),
  })) as APIApplicationCommand[];
  if (sameCommands(registered, body)) return { scope, names: registered.map((c) => c.name), changed: false };
  const saved = (await options.rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  return { scope, names: saved.map((c) => c.name), changed: true };
}

const commandsRoute = (applicationId: string, guildId: string | undefined) =>
  guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);

function definitions(commands: readonly ArchiveCommand[]): RESTPostAPIApplicationCommandsJSONBody[] {
  return commands.flatMap((c) => (c.data ? [c.data] : []));
}

type Loose = Record<string, unknown>;

/**
 * Whether Discord's registered commands say the same as the definitions. Discord answers with its defaults filled in
 * (`required: false` left out, `nsfw: false`, `dm_permission`, `integration_types`, ids and versions), so both sides
 * are brought to one shape first; contexts and integration types count only when the bot's definition sets them (left
 * out, Discord applies its own default, which a PUT would not change). Commands are matched by type and name; the
 * order of options counts, as Discord shows them in that order.
 */
export function sameCommands(registered: readonly object[], defined: readonly object[]): boolean {
  if (registered.length !== defined.length) return false;
  const key = (c: Loose) => `${String(c['type'] ?? 1)}:${String(c['name'])}`;
  const remote = new Map(registered.map((c) => [key(c as Loose), c as Loose]));
  return defined.every((local) => {
    const other = remote.get(key(local as Loose));
    return (
      other !== undefined &&
      JSON.stringify(commandShape(other, local as Loose)) ===
        JSON.stringify(commandShape(local as Loose, local as Loose))
    );
  });
}

/** One command in a canonical shape; `local` says which of Discord's optional fields the bot defines. */
function commandShape(c: Loose, local: Loose): Loose {
  const type = (c['type'] as number | undefined) ?? 1;
  return {
    type,
    name: c['name'],
    description: type === 1 ? (c['description'] ?? '') : '',
    default_member_permissions: c['default_member_permissions'] ?? null,
    nsfw: c['nsfw'] ?? false,
    name_localizations: dictionary(c['name_localizations']),
    description_localizations: dictionary(c['description_localizations']),
    contexts: local['contexts'] == null ? null : sortedList(c['contexts']),
    integration_types: local['integration_types'] == null ? null : sortedList(c['integration_types']),
    options: optionsShape(c['options']),
  };
}

function optionsShape(options: unknown): Loose[] | null {
  if (!Array.isArray(options) || options.length === 0) return null;
  return (options as Loose[]).map((o) => ({
    type: o['type'],
    name: o['name'],
    description: o['description'] ?? '',
    name_localizations: dictionary(o['name_localizations']),
    description_localizations: dictionary(o['description_localizations']),
    required: o['required'] ?? false,
    autocomplete: o['autocomplete'] ?? false,
    choices:
      Array.isArray(o['choices']) && o['choices'].length > 0
        ? (o['choices'] as Loose[]).map((choice) => ({
            name: choice['name'],
            value: choice['value'],
            name_localizations: dictionary(choice['name_localizations']),
          }))
        : null,
    channel_types: sortedList(o['channel_types']),
    min_value: o['min_value'] ?? null,
    max_value: o['max_value'] ?? null,
    min_length: o['min_length'] ?? null,
    max_length: o['max_length'] ?? null,
    options: optionsShape(o['options']),
  }));
}

/** A localizations map with its keys in order; null when absent or empty. */
function dictionary(value: unknown): Loose | null {
  if (!value || typeof value !== 'object') return null;
  const entries = Object.entries(value as Loose).sort(([a], [b]) => a.localeCompare(b));
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}

function sortedList(value: unknown): unknown[] | null {
  return Array.isArray(value) && value.length > 0 ? [...value].sort() : null;
}

/** On start: reconcile, and say in the log what happened. A failure is logged; the bot goes on with what is registered. */
export async function reconcileAtStart(
  client: Client<true>,
  commands: readonly ArchiveCommand[],
  guildId: string | undefined,
  log: Logger,
): Promise<void> {
  try {
    const result = await reconcileCommands({
      rest: client.rest,
      applicationId: client.application.id,
      commands,
      guildId,
    });
    const where = result.scope === 'guild' ? { guild: guildId } : { scope: 'global' };
    if (result.changed) log.info({ ...where, commands: result.names }, 'slash commands changed: registered again');
    else log.info({ ...where, commands: result.names.length }, 'slash commands as registered: nothing to do');
  } catch (error) {
    log.warn({ err: error }, 'could not compare the slash commands with Discord: they stay as registered');
  }
}
