// `npm run deploy-commands`: register the bot's commands with Discord — to
// one server with DISCORD_GUILD_ID (instant, for development), globally
// otherwise. A separate step, not done on every start: registration is
// rate-limited and global changes take a while to reach every server.
import 'dotenv/config';
import {
  REST,
  Routes,
  type RESTGetCurrentApplicationResult,
  type RESTPutAPIApplicationCommandsResult,
} from 'discord.js';
import { pathToFileURL } from 'node:url';
import { commands } from '../../commands/index.js';
import { ConfigError, readConfig } from '../config.js';

export interface DeployResult {
  scope: 'guild' | 'global';
  names: string[];
}

export async function deployCommands(options: {
  token: string;
  guildId?: string;
  api?: string;
}): Promise<DeployResult> {
  const rest = new REST(options.api ? { api: options.api } : {}).setToken(options.token);
  const application = (await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult;
  const body = commands.flatMap((c) => (c.data ? [c.data] : []));
  const route = options.guildId
    ? Routes.applicationGuildCommands(application.id, options.guildId)
    : Routes.applicationCommands(application.id);
  const registered = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  return { scope: options.guildId ? 'guild' : 'global', names: registered.map((c) => c.name) };
}

async function main(): Promise<number> {
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  if (!config.DISCORD_TOKEN) {
    process.stderr.write(
      'DISCORD_TOKEN is not set: put the bot token in .env (see .env.example), then run this again.\n',
    );
    return 1;
  }
  try {
    const result = await deployCommands({
      token: config.DISCORD_TOKEN,
      guildId: config.DISCORD_GUILD_ID,
      api: config.DISCORD_API_URL,
    });
    const where =
      result.scope === 'guild'
        ? `to server ${config.DISCORD_GUILD_ID} (available now)`
        : 'globally (may take up to an hour to appear)';
    process.stdout.write(`Registered ${result.names.length} commands ${where}: ${result.names.join(', ')}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(
      `Could not register the commands: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then((code) => {
    process.exitCode = code;
  });
}
