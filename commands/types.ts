// What every command module provides. The console calls `run` with the words
// typed after the command; the Discord side (next issue) adds its builder.
import type { ArchiveService } from '../src/archiveService.js';

export interface CommandContext {
  archive: ArchiveService;
  /** Today's date (YYYY-MM-DD) in the configured time zone: the clock stays at the edge. */
  today: () => string;
}

export interface ArchiveCommand {
  name: string;
  usage: string;
  description: string;
  run(args: string, context: CommandContext): string;
}
