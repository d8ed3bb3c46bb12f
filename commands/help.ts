// /help: every command in one screen, on Discord and in the console.
import { ApplicationCommandType } from 'discord-api-types/payloads/v10';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { helpText } from '../src/console/aboutText.js';
import { consoleUsage } from '../src/console/optionValues.js';
import { helpMessage } from '../src/discord/aboutMessages.js';
import { definedOptions, type ArchiveCommand, type HelpEntry } from '../src/discord/command.js';

const data: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'help',
  description: 'What each command of the archive bot does',
  options: [],
};

function entry(command: ArchiveCommand): HelpEntry {
  const menuEntry = command.data?.type === ApplicationCommandType.Message;
  return {
    label: menuEntry ? command.name : `/${command.name}`,
    description: command.description,
    onDiscord: Boolean(command.data),
    consoleUsage: command.view.text ? consoleUsage(command.name, definedOptions(command)) : null,
  };
}

/** Built from the command list itself, so it never drifts from what is registered. */
export function helpCommand(list: () => readonly ArchiveCommand[]): ArchiveCommand<void, HelpEntry[]> {
  return {
    name: 'help',
    description: 'This list.',
    data,
    reply: { private: true },
    run: () => list().map(entry),
    view: { discord: helpMessage, text: helpText },
  };
}
