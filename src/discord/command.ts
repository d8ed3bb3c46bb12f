// One shape for every command, whichever front end asks: its definition, its
// options parsed once into a typed request, a use case run on it (plain data
// or a UserProblem), and one view model rendered for Discord and for the
// terminal. The router and the console run that flow; what only Discord can
// do (autocomplete, buttons, a check on the chosen channel) is a declared hook.
import type {
  APIApplicationCommandOption,
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  MessageComponentInteraction,
  ChatInputCommandInteraction,
  PermissionResolvable,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { ArchiveService } from '../app/archive.js';
import type { CampaignViews } from '../app/campaign.js';
import type { ServerSettings } from '../app/serverSettings.js';
import type { WatchService } from '../app/watches.js';
import type { InteractionMetrics } from './interactionMetrics.js';
import type { PostedMessage } from '../store/posted.js';
import type { BotMessage, MessageFile } from './messages.js';
import type { SearchSessions } from './sessions.js';

export interface CommandContext {
  archive: ArchiveService;
  /** Today's date (YYYY-MM-DD) in the configured time zone: the clock stays at the edge. */
  today: () => string;
  now: () => Date;
  blogUrl: string;
  /** /petition and /napo: live when the source answers in time, else what is stored. */
  campaign: CampaignViews;
  /** Each server's scheduled posts (/config). */
  settings: ServerSettings;
  /** Searches members are paging through (Discord only). */
  sessions: SearchSessions;
  log: Logger;
  /** The process's event-loop delay so far (the bot measures it; /config show tells admins). */
  eventLoopDelay?: () => { p99Ms: number; maxMs: number };
  /** The operator's metrics (HEALTH_PORT): each interaction's command, outcome and time. */
  metrics?: InteractionMetrics;
  /** Public messages that show archive text, recorded so a takedown can retract them (src/app/retractions.ts). */
  posted?: { record(message: PostedMessage): void };
  /** Members' topic watches (/watch), and the one-time word to a member whose watches were paused. */
  watches?: WatchService;
}

/**
 * A command's options as the member gave them, read the same way from
 * Discord's `interaction.options` and from a console line. Null when not given.
 */
export interface CommandOptions {
  string(name: string): string | null;
  integer(name: string): number | null;
  boolean(name: string): boolean | null;
  /** A member, by id. */
  user(name: string): string | null;
  /** A channel, by id. */
  channel(name: string): string | null;
  subcommand(): string | null;
}

/** Who asked, and where: the console is a caller with no server. */
export interface Caller {
  userId: string;
  guildId: string | null;
}

/** A message's text, for context-menu entries that work on a message. */
export interface TargetMessage {
  id: string;
  content: string;
}

export interface CommandView<Result> {
  /** The answer as Discord shows it; `caller` for views that keep something per member (a search's pages). */
  discord(result: Result, caller: Caller, context: CommandContext): BotMessage;
  /** The answer as the terminal prints it; commands without one are not offered in the console. */
  text?(result: Result): string;
  /** Files that go with the answer (a chart): the console writes them under DATA_DIR and prints where. */
  files?(result: Result): MessageFile[];
}

export interface ArchiveCommand<Request = unknown, Result = unknown> {
  name: string;
  /** One line for /help. */
  description: string;
  /** Registered with Discord (slash command or context-menu entry); absent for console-only commands. */
  data?: RESTPostAPIApplicationCommandsJSONBody;
  /** A console-only command's options, defined as Discord would show them but never registered. */
  consoleOptions?: APIApplicationCommandOption[];
  /** Checked by the router before anything else, whatever the server's own overrides say. */
  requires?: PermissionResolvable[];
  /** At most `uses` per member in `perMs` (expensive commands): one member cannot tie up the bot. */
  cooldown?: { uses: number; perMs: number };
  /**
   * The same for presses of its buttons and menus, by prefix (Share posts publicly: it must not become a flood).
   * A prefix not named here goes at the command's `cooldown`, or at the router's general pace for buttons.
   */
  buttonCooldowns?: Record<string, { uses: number; perMs: number }>;
  /** Only in a server: the router refuses it in direct messages. */
  guildOnly?: boolean;
  /** On Discord: acknowledged before `run` (slow work), and/or seen only by the member who asked. */
  reply?: { defer?: boolean; private?: boolean };
  /** Seen only by the member for these requests too: those that show or change what is kept about them. */
  privateFor?(request: Request): boolean;
  /** Options read once into the request; bad input throws a UserProblem naming the option. Absent: no options. */
  parse?(options: CommandOptions): Request;
  /** The request from a message (a message's context-menu entry), instead of options. */
  parseMessage?(message: TargetMessage): Request;
  /** The use case: plain data for the view, or a UserProblem. */
  run(request: Request, context: CommandContext, caller: Caller): Result | Promise<Result>;
  view: CommandView<Result>;
  /** Discord only, after parsing and before anything is run: a check that needs the interaction itself. */
  verify?(interaction: ChatInputCommandInteraction, request: Request, context: CommandContext): void;
  /** Suggestions for what the member is typing; the router sends them (the work waits its turn, sending does not). */
  autocomplete?(interaction: AutocompleteInteraction, context: CommandContext): ApplicationCommandOptionChoiceData[];
  /**
   * Buttons and select menus whose custom id starts with `<prefix>:`; `args` are the id's other parts, then the
   * values picked in a menu.
   */
  buttons?: Record<
    string,
    (interaction: MessageComponentInteraction, args: string[], context: CommandContext) => Promise<void>
  >;
}

/** Whether this request's answer is for the member alone. */
export function answersPrivately<Request>(command: ArchiveCommand<Request, unknown>, request: Request): boolean {
  return (command.reply?.private ?? false) || (command.privateFor?.(request) ?? false);
}

/** A command's options as defined for Discord (a console-only command's own). */
export function definedOptions(command: ArchiveCommand): readonly APIApplicationCommandOption[] {
  const data = command.data;
  if (data && 'options' in data) return data.options ?? [];
  return command.consoleOptions ?? [];
}

/** What /help lists for a command, on each front end. */
export interface HelpEntry {
  /** `/search`, or a context-menu entry's own name. */
  label: string;
  description: string;
  onDiscord: boolean;
  /** How to type it in the console; null when it works on Discord only. */
  consoleUsage: string | null;
}
