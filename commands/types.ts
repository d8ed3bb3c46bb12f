// What every command module provides: its Discord definition and a thin
// handler, and (for the console) the same command typed as text. Handlers
// parse options, call the archive or a live source, and hand the result to a
// formatter in src/discord; nothing here decides what Discord may receive.
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  PermissionResolvable,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { ArchiveService } from '../src/archiveService.js';
import type { SearchSessions } from '../src/discord/sessions.js';

export interface CommandContext {
  archive: ArchiveService;
  /** Today's date (YYYY-MM-DD) in the configured time zone: the clock stays at the edge. */
  today: () => string;
  now: () => Date;
  blogUrl: string;
  petition: { id: number; baseUrl?: string; changeOrgUrl: string | null; fetch?: typeof fetch };
  napo: { feedUrl: string | null; fetch?: typeof fetch };
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
  execute?(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
  executeMessage?(interaction: MessageContextMenuCommandInteraction, context: CommandContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, context: CommandContext): Promise<void>;
  /** Buttons whose custom id starts with `<prefix>:`. */
  buttons?: Record<string, (interaction: ButtonInteraction, args: string[], context: CommandContext) => Promise<void>>;
  console?: ConsoleCommand;
}
