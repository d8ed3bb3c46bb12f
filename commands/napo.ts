// /napo: the latest news from Napo, the probation union.
import { SlashCommandBuilder } from 'discord.js';
import type { NapoView } from '../src/app/campaign.js';
import { napoText } from '../src/console/render.js';
import type { ArchiveCommand } from '../src/discord/command.js';
import { napoMessage } from '../src/discord/messages.js';

const data = new SlashCommandBuilder()
  .setName('napo')
  .setDescription('The latest Napo (probation union) news, with links');

export const napo: ArchiveCommand<void, NapoView> = {
  name: 'napo',
  description: 'The latest Napo news items, linked.',
  data: data.toJSON(),
  cooldown: { uses: 3, perMs: 30_000 },
  // The feed may take a few seconds to answer.
  reply: { defer: true },
  run: (_request, context) => context.campaign.napo(),
  view: { discord: napoMessage, text: (view) => napoText(view) },
};
