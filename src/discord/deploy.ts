// Registers the bot's commands with Discord — to one server with
// DISCORD_GUILD_ID (instant, for development), globally otherwise.
import {
  REST,
  Routes,
  type RESTGetCurrentApplicationResult,
  type RESTPutAPIApplicationCommandsResult,
} from 'discord.js';
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
  const body = options.commands.flatMap((c) => (c.data ? [c.data] : []));
  const route = options.guildId
    ? Routes.applicationGuildCommands(application.id, options.guildId)
    : Routes.applicationCommands(application.id);
  const registered = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  return { scope: options.guildId ? 'guild' : 'global', names: registered.map((c) => c.name) };
}
