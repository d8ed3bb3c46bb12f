// What every command module provides: its Discord definition and a thin
// handler, and (for the console) the same command typed as text. Handlers
// parse options, call a use case, and hand the result to a view; a problem
// the member caused is thrown as a UserProblem, which the router answers.
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  PermissionResolvable,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { ArchiveService } from '../app/archive.js';
import type { CampaignViews } from '../app/campaign.js';
import type { ServerSettings } from '../app/serverSettings.js';
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
}

/** A command as typed in the console: the words after its name, answered as text. */
export interface ConsoleCommand {
  usage: string;
  run(args: string, context: CommandContext): string | Promise<string>;
}

export interface ArchiveCommand {
  name: string;
  /** One line for /help. */
  description: string;
  /** Registered with Discord (slash command or context-menu entry); absent for console-only commands. */
  data?: RESTPostAPIApplicationCommandsJSONBody;
  /** Checked by the router before `execute`, whatever the server's own overrides say. */
  requires?: PermissionResolvable[];
  /** At most `uses` per member in `perMs` (expensive commands): one member cannot tie up the bot. */
  cooldown?: { uses: number; perMs: number };
  /** The same for presses of some of its buttons, by prefix (Share posts publicly: it must not become a flood). */
  buttonCooldowns?: Record<string, { uses: number; perMs: number }>;
  /** Only in a server: the router refuses it in direct messages. */
  guildOnly?: boolean;
  execute?(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
  executeMessage?(interaction: MessageContextMenuCommandInteraction, context: CommandContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, context: CommandContext): Promise<void>;
  /** Buttons whose custom id starts with `<prefix>:`. */
  buttons?: Record<string, (interaction: ButtonInteraction, args: string[], context: CommandContext) => Promise<void>>;
  console?: ConsoleCommand;
}
