// `npm run deploy-commands`: register the bot's commands with Discord. A
// separate step, not done on every start: registration is rate-limited and
// global changes take a while to reach every server.
import 'dotenv/config';
import { commands } from '../commands/index.js';
import { loadConfig } from './config.js';
import { deployCommands } from './discord/deploy.js';

async function main(): Promise<number> {
  const config = loadConfig(process.env, (line) => process.stderr.write(`${line}\n`));
  if (!config) return 1;
  if (!config.DISCORD_TOKEN) {
    process.stderr.write(
      'DISCORD_TOKEN is not set: put the bot token in .env (see .env.example), then run this again.\n',
    );
    return 1;
  }
  try {
    const result = await deployCommands({
      commands,
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

main().then((code) => {
  process.exitCode = code;
});
