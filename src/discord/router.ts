// Routes every interaction to its command: slash commands, autocomplete,
// the message menu and buttons. Preconditions (permissions) are checked here,
// once, whatever a server's own overrides say. A failure is shown to the
// member as one short private line and logged with detail for the operator;
// an interaction Discord has already expired (10062) is logged, not retried.
import {
  DiscordAPIError,
  MessageFlags,
  PermissionsBitField,
  RESTJSONErrorCodes,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import type { ArchiveCommand, CommandContext } from '../../commands/types.js';
import { problemMessage } from './messages.js';

export function createRouter(commands: readonly ArchiveCommand[], context: CommandContext, log: Logger) {
  const byName = new Map(commands.filter((c) => c.data).map((c) => [c.name, c]));
  const byButton = new Map(commands.flatMap((c) => Object.entries(c.buttons ?? {})));
  const cooldowns = cooldownTracker(() => context.now().getTime());

  return async function route(interaction: Interaction): Promise<void> {
    const started = Date.now();
    const where = describe(interaction);
    try {
      if (interaction.isAutocomplete()) {
        await byName.get(interaction.commandName)?.autocomplete?.(interaction, context);
      } else if (interaction.isButton()) {
        const [prefix, ...args] = interaction.customId.split(':');
        const handler = byButton.get(prefix ?? '');
        if (!handler) {
          await interaction.reply({
            ...problemMessage('That button belongs to something this bot no longer does.'),
            flags: MessageFlags.Ephemeral,
          });
          return;
        }
        await handler(interaction, args, context);
      } else if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) {
          await interaction.reply({
            ...problemMessage('This command is not known to this version of the bot.'),
            flags: MessageFlags.Ephemeral,
          });
          return;
        }
        const wait = cooldowns.check(command, interaction.user.id);
        if (wait > 0) {
          await interaction.reply({
            ...problemMessage(
              `You are going a little fast: try /${command.name} again in ${Math.ceil(wait / 1000)} s.`,
            ),
            flags: MessageFlags.Ephemeral,
          });
          return;
        }
        const missing = missingPermissions(command, interaction.memberPermissions);
        if (missing.length > 0) {
          await interaction.reply({
            ...problemMessage(`You need the ${missing.join(', ')} permission for this.`),
            flags: MessageFlags.Ephemeral,
          });
          return;
        }
        if (interaction.isChatInputCommand()) await command.execute?.(interaction, context);
        else await command.executeMessage?.(interaction, context);
      }
      log.debug({ interaction: where, ms: Date.now() - started }, 'answered');
    } catch (error) {
      if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownInteraction) {
        log.warn(
          { interaction: where, ms: Date.now() - started },
          'interaction expired before it was answered (10062)',
        );
        return;
      }
      log.error({ err: error, interaction: where, ms: Date.now() - started }, 'interaction failed');
      if (interaction.isRepliable()) await tellMember(interaction, log);
    }
  };
}

/** Uses per member and command in a sliding window; how long to wait, 0 when a use is allowed (and counted). */
function cooldownTracker(now: () => number) {
  const uses = new Map<string, number[]>();
  return {
    check(command: ArchiveCommand, userId: string): number {
      if (!command.cooldown) return 0;
      const { uses: allowed, perMs } = command.cooldown;
      const key = `${command.name}:${userId}`;
      const at = now();
      const recent = (uses.get(key) ?? []).filter((t) => t > at - perMs);
      if (recent.length >= allowed) {
        uses.set(key, recent);
        return recent[0]! + perMs - at;
      }
      recent.push(at);
      uses.set(key, recent);
      // Forget members who have gone quiet, so the map stays the size of the active few.
      if (uses.size > 10_000) for (const [k, times] of uses) if (times.every((t) => t <= at - perMs)) uses.delete(k);
      return 0;
    },
  };
}

function missingPermissions(command: ArchiveCommand, has: Readonly<PermissionsBitField> | null): string[] {
  if (!command.requires?.length) return [];
  // Outside a server there are no server permissions to have.
  const needed = new PermissionsBitField(command.requires);
  if (has?.has(needed)) return [];
  return needed
    .toArray()
    .filter((p) => !has?.has(p))
    .map((p) => p.replace(/([a-z])([A-Z])/g, '$1 $2'));
}

async function tellMember(interaction: RepliableInteraction, log: Logger): Promise<void> {
  const sorry = problemMessage(
    'Sorry, something went wrong on our side. It has been logged; please try again in a moment.',
  );
  try {
    if (interaction.deferred || interaction.replied)
      await interaction.followUp({ ...sorry, flags: MessageFlags.Ephemeral });
    else await interaction.reply({ ...sorry, flags: MessageFlags.Ephemeral });
  } catch (error) {
    log.warn({ err: error }, 'could not tell the member about the failure');
  }
}

function describe(interaction: Interaction): Record<string, string | null> {
  const base = { id: interaction.id, guild: interaction.guildId, user: interaction.user.id };
  if (interaction.isButton()) return { ...base, button: interaction.customId };
  if (interaction.isCommand() || interaction.isAutocomplete()) return { ...base, command: interaction.commandName };
  return base;
}
