// Routes every interaction to its command: slash commands, autocomplete,
// the message menu and buttons. Preconditions (permissions, cooldowns, servers
// only) are checked here, once, whatever a server's own overrides say; then a
// command is answered by the common flow (answer.ts). A failure is shown to the
// member as one short private line and logged with detail for the operator;
// an interaction Discord has already expired (10062), or whose token it has
// retired (50027, after 15 minutes), is logged, not retried.
import {
  DiscordAPIError,
  MessageFlags,
  PermissionsBitField,
  RESTJSONErrorCodes,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { UserProblem } from '../app/userProblem.js';
import { isBusy } from '../store/busy.js';
import { admission, Dropped, Overloaded, type Admission } from './admission.js';
import { answerMessageMenu, answerSlashCommand } from './answer.js';
import type { ArchiveCommand, CommandContext } from './command.js';
import { observeInteraction } from './interactionMetrics.js';
import { problemMessage } from './messages.js';

export function createRouter(
  commands: readonly ArchiveCommand[],
  context: CommandContext,
  log: Logger,
  /** Slow work's queue (see admission.ts); tests pass one with small limits. */
  admit: Admission = admission(() => performance.now()),
) {
  const byName = new Map(commands.filter((c) => c.data).map((c) => [c.name, c]));
  const byButton = new Map(
    commands.flatMap((c) =>
      Object.entries(c.buttons ?? {}).map(([prefix, handler]) => [prefix, { c, handler }] as const),
    ),
  );
  const cooldowns = cooldownTracker(() => context.now().getTime());

  /**
   * The preconditions declared on a command, checked in one place: each failure a UserProblem. Returns the use it
   * counted against the member's pace, to be given back if the work is then turned away as busy.
   */
  const check = (command: ArchiveCommand, interaction: Interaction, button: string | null) => {
    if (command.guildOnly && !interaction.inGuild()) {
      throw new UserProblem(`/${command.name} works in a server, not in direct messages.`);
    }
    // Every button and menu is limited: its own pace if declared, else its command's, else the general one.
    const limit =
      button === null ? command.cooldown : (command.buttonCooldowns?.[button] ?? command.cooldown ?? BUTTON_COOLDOWN);
    const wait = cooldowns.check(`${command.name}:${button ?? ''}`, limit, interaction.user.id);
    if (wait > 0) {
      const what = button === null ? `/${command.name}` : 'that button';
      throw new UserProblem(`You are going a little fast: try ${what} again in ${Math.ceil(wait / 1000)} s.`);
    }
    const missing = missingPermissions(command, interaction.inGuild() ? interaction.memberPermissions : null);
    if (missing.length > 0) throw new UserProblem(`You need the ${missing.join(', ')} permission for this.`);
    return limit ? `${command.name}:${button ?? ''}` : null;
  };

  const overload = overloadReport(admit, log);
  return async function route(interaction: Interaction): Promise<void> {
    const started = Date.now();
    const arrived = performance.now();
    const where = describe(interaction);
    const member = interaction.user.id;
    const inTurn = <T>(work: () => Promise<T>) => admit.command(member, arrived, work);
    // In a server, the archive as that server sees it: what its admins hid there is left out of every answer.
    const scoped = interaction.guildId
      ? { ...context, archive: context.archive.forServer(interaction.guildId) }
      : context;
    let caught: unknown = null;
    /** The use counted against the member's pace for this interaction, if any. */
    let counted: string | null = null;
    try {
      if (interaction.isAutocomplete()) {
        const command = byName.get(interaction.commandName);
        const suggest = command?.autocomplete;
        if (suggest) {
          const choices = await admit.autocomplete(`${member}:${interaction.commandName}`, arrived, async () =>
            suggest(interaction, scoped),
          );
          await interaction.respond(choices);
        }
      } else if (interaction.isButton() || interaction.isStringSelectMenu()) {
        const [prefix, ...args] = interaction.customId.split(':');
        const button = byButton.get(prefix ?? '');
        if (!button) throw new UserProblem('That button belongs to something this bot no longer does.');
        counted = check(button.c, interaction, prefix!);
        const picked = interaction.isStringSelectMenu() ? interaction.values : [];
        await button.handler(interaction, [...args, ...picked], scoped);
      } else if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) throw new UserProblem('This command is not known to this version of the bot.');
        counted = check(command, interaction, null);
        if (interaction.isChatInputCommand()) await answerSlashCommand(command, interaction, scoped, inTurn);
        else await answerMessageMenu(command, interaction, scoped, inTurn);
        await tellOfPausedWatches(interaction, command, context, log);
      }
      log.debug({ interaction: where, ms: Date.now() - started }, 'answered');
    } catch (error) {
      caught = error;
      if (error instanceof Dropped) {
        log.debug({ interaction: where, reason: error.reason }, 'autocomplete dropped');
        overload.noted();
        return;
      }
      if (error instanceof Overloaded) {
        // Turned away, not served: the member's pace does not count it.
        if (counted) cooldowns.refund(counted, member);
        log.debug({ interaction: where, reason: error.reason }, 'busy: member asked to try again');
        overload.noted();
      }
      if (error instanceof UserProblem) {
        if (interaction.isRepliable()) await tellMember(interaction, error.message, log);
        if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
          await tellOfPausedWatches(interaction, byName.get(interaction.commandName), context, log);
        }
        return;
      }
      if (isBusy(error)) {
        log.warn(
          { interaction: where, ms: Date.now() - started },
          'database busy with another process: member asked to retry',
        );
        if (interaction.isRepliable()) await tellMember(interaction, BUSY, log);
        return;
      }
      if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownInteraction) {
        log.warn(
          { interaction: where, ms: Date.now() - started },
          'interaction expired before it was answered (10062)',
        );
        return;
      }
      // Past its 15 minutes an interaction's token is refused: telling the member would be refused the same way.
      if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.InvalidWebhookToken) {
        log.warn(
          { interaction: where, ms: Date.now() - started },
          'interaction token expired before the answer was sent (50027)',
        );
        return;
      }
      log.error({ err: error, interaction: where, ms: Date.now() - started }, 'interaction failed');
      if (interaction.isRepliable()) await tellMember(interaction, SORRY, log);
    } finally {
      observeInteraction(context.metrics, interaction, caught, Date.now() - started);
    }
  };
}

/** How often, at most, the log says the bot is overloaded (with what it refused since it last said so). */
const OVERLOAD_REPORT_EVERY_MS = 60_000;

/** One warning a minute at most while members are told "busy" or keystrokes dropped: the operator sees it. */
function overloadReport(admit: Admission, log: Logger) {
  let last = admit.counts();
  let lastAt = Number.NEGATIVE_INFINITY;
  return {
    noted() {
      const at = performance.now();
      if (at - lastAt < OVERLOAD_REPORT_EVERY_MS) return;
      const now = admit.counts();
      const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
      log.warn(
        {
          busy: sum(now.busy) - sum(last.busy),
          dropped: sum(now.dropped) - sum(last.dropped),
          waiting: now.waiting,
          ...(Number.isFinite(lastAt) && { sinceMs: Math.round(at - lastAt) }),
        },
        'overloaded: more members are asking than the bot can answer in time; some were asked to try again',
      );
      last = now;
      lastAt = at;
    },
  };
}

/** Presses of a button or menu whose command declares no pace at all: quick paging is fine, a flood is not. */
const BUTTON_COOLDOWN = { uses: 10, perMs: 10_000 };

const BUSY = 'The archive is busy saving other work just now: please try again in a moment.';
const SORRY = 'Sorry, something went wrong on our side. It has been logged; please try again in a moment.';

/** Uses per member and command in a sliding window; how long to wait, 0 when a use is allowed (and counted). */
function cooldownTracker(now: () => number) {
  const uses = new Map<string, number[]>();
  return {
    check(name: string, limit: { uses: number; perMs: number } | undefined, userId: string): number {
      if (!limit) return 0;
      const { uses: allowed, perMs } = limit;
      const key = `${name}:${userId}`;
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
    /** Give back the latest use of `name` by the member (its work was turned away). */
    refund(name: string, userId: string): void {
      uses.get(`${name}:${userId}`)?.pop();
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
    .map((p) => PERMISSION_NAMES[p] ?? p.replace(/([a-z])([A-Z])/g, '$1 $2'));
}

/** Permissions as Discord's own settings name them (the API says ManageGuild; members see Manage Server). */
const PERMISSION_NAMES: Record<string, string> = {
  ManageGuild: 'Manage Server',
  ManageRoles: 'Manage Roles',
  ViewAuditLog: 'View Audit Log',
};

/**
 * A member whose watches were paused (their direct messages closed) is told once, privately, after the answer to
 * whatever command they use next; /watch says it in its own answers.
 */
async function tellOfPausedWatches(
  interaction: RepliableInteraction,
  command: ArchiveCommand | undefined,
  context: CommandContext,
  log: Logger,
): Promise<void> {
  if (command?.name === 'watch' || !(interaction.replied || interaction.deferred)) return;
  try {
    const notice = context.watches?.pauseNotice(interaction.user.id);
    if (notice) await interaction.followUp({ ...problemMessage(notice), flags: MessageFlags.Ephemeral });
  } catch (error) {
    log.warn({ err: error }, 'could not tell the member their watches are paused');
  }
}

/** One private line to the member: a problem they can fix, or our apology. */
async function tellMember(interaction: RepliableInteraction, text: string, log: Logger): Promise<void> {
  const message = { ...problemMessage(text), flags: MessageFlags.Ephemeral } as const;
  try {
    if (interaction.deferred && !interaction.replied) {
      // A private "thinking…" becomes the answer; a public one would show everyone that something failed: it goes,
      // and the member alone is told.
      if (interaction.ephemeral) {
        // When editing is what failed (Discord's 5xx), a follow-up still reaches the member.
        const edited = await interaction.editReply(problemMessage(text)).then(
          () => true,
          () => false,
        );
        if (edited) return;
      } else {
        await interaction.deleteReply();
      }
    }
    if (interaction.deferred || interaction.replied) await interaction.followUp(message);
    else await interaction.reply(message);
  } catch (error) {
    log.warn({ err: error }, 'could not tell the member about the failure');
  }
}

function describe(interaction: Interaction): Record<string, string | null> {
  const base = { id: interaction.id, guild: interaction.guildId, user: interaction.user.id };
  if (interaction.isMessageComponent()) return { ...base, button: interaction.customId };
  if (interaction.isCommand() || interaction.isAutocomplete()) return { ...base, command: interaction.commandName };
  return base;
}
