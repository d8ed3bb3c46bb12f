// /petition: the campaign petition's live count, thresholds and change over the
// last day; and where its signatures come from: a constituency by name or MP
// (`where`), the top constituencies, the nations (England and Wales together),
// and the member's own constituency (`mine`, kept until they clear it).
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/payloads/v10';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction } from 'discord.js';
import type { PetitionChart } from '../src/app/petitionChart.js';
import type { PetitionAnswer, PetitionRequest } from '../src/app/petitionGeography.js';
import { UserProblem } from '../src/app/userProblem.js';
import type { ArchiveCommand, CommandContext, CommandOptions } from '../src/discord/command.js';
import { cutAtWord, LIMITS } from '../src/discord/format.js';
import { chartFile } from '../src/discord/messages.js';
import { petitionAnswerMessage } from '../src/discord/petitionMessages.js';
import { count } from '../src/discord/petitionWording.js';
import { petitionAnswerText } from '../src/console/render.js';

const data: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'petition',
  description: 'The campaign petition: signatures, thresholds, where they come from, link',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'show',
      description: 'What to show (default: the total and thresholds)',
      required: false,
      choices: [
        { name: 'the total and thresholds', value: 'total' },
        { name: 'top constituencies', value: 'top' },
        { name: 'by nation (England and Wales share) and region', value: 'nations' },
        { name: 'my constituency (only you see it)', value: 'mine' },
      ],
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'where',
      description: 'A constituency, or its MP: pick from the suggestions',
      required: false,
      autocomplete: true,
      max_length: 100,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'mine',
      description: 'Remember your constituency (never a postcode; only you see it), or "clear" to remove it',
      required: false,
      autocomplete: true,
      max_length: 100,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'petition',
      description: 'Which petition, when the bot follows several: its title or number (default: the first)',
      required: false,
      autocomplete: true,
      max_length: 100,
    },
  ],
};

/** What clears a member's constituency, typed in `mine`. A suggestion's value is the constituency's ONS code. */
const CLEAR = /^(clear|none|remove|forget|delete)$/i;
const SHOWS = ['total', 'top', 'nations', 'mine'] as const;

function parsePetition(options: CommandOptions): PetitionRequest {
  const petition = options.string('petition')?.trim();
  const which = petition ? { petition } : {};
  const mine = options.string('mine')?.trim();
  if (mine) return CLEAR.test(mine) ? { show: 'clear-mine' } : { show: 'set-mine', place: mine, ...which };
  const where = options.string('where')?.trim();
  if (where) return { show: 'where', place: where, ...which };
  const show = SHOWS.find((s) => s === options.string('show')) ?? 'total';
  return { show, ...which };
}

/** The petitions followed, by title (and number) as the member types: the value is the number. */
function suggestPetitions(typed: string, context: CommandContext): ApplicationCommandOptionChoiceData[] {
  return context.campaign.petitions(typed, 25).map((p) => {
    const tail = ` (${p.id}${p.signatureCount === null ? '' : ` · ${count(p.signatureCount)}`})`;
    const title = p.title ? cutAtWord(p.title.replace(/\s+/g, ' '), LIMITS.choiceName - tail.length) : 'Petition';
    return { name: `${title}${tail}`, value: String(p.id) };
  });
}

function suggest(interaction: AutocompleteInteraction, context: CommandContext): ApplicationCommandOptionChoiceData[] {
  const focused = interaction.options.getFocused(true);
  const typed = focused.value.trim();
  if (focused.name === 'petition') return suggestPetitions(typed, context);
  const clearing = focused.name === 'mine' && 'clear'.startsWith(typed.toLowerCase()) && typed.length > 0;
  const petition = interaction.options.getString('petition');
  const places = context.campaign.geography.suggest(typed, interaction.user.id, clearing ? 24 : 25, petition);
  const choices = places.flatMap((p) => {
    // The site's own code is the value; one Discord would refuse is not offered.
    if (!p.onsCode || p.onsCode.length > LIMITS.choiceValue) return [];
    const mp = p.mp ? ` — ${p.mp}` : '';
    const tail = ` (${count(p.signatureCount)})`;
    return [{ name: cutAtWord(`${p.name}${mp}`, LIMITS.choiceName - tail.length) + tail, value: p.onsCode }];
  });
  return clearing ? [{ name: 'Clear my constituency', value: 'clear' }, ...choices] : choices;
}

/** The figures and when they were asked for: their age is part of what is shown. */
interface PetitionReply {
  answer: PetitionAnswer;
  now: Date;
  /** Signatures over time, for the figures; null before two readings, or when it could not be drawn. */
  chart: PetitionChart | null;
}

/** The figures' chart; a chart that cannot be drawn is left out (and logged), never the answer. */
async function chartOf(answer: PetitionAnswer, context: CommandContext): Promise<PetitionChart | null> {
  if (answer.kind !== 'total' || !('progress' in answer.petition)) return null;
  try {
    return await context.campaign.chart(answer.petition);
  } catch (error) {
    context.log.warn({ err: error }, '/petition: the chart could not be drawn; answered without it');
    return null;
  }
}

export const petition: ArchiveCommand<PetitionRequest, PetitionReply> = {
  name: 'petition',
  description:
    'The campaign petition: live signatures, thresholds, link; where:, show:top, show:nations, mine: (your constituency); petition: (which one).',
  data,
  // A burst costs the site one request (a reading under a minute old is reused); a member looking up their
  // constituency, the top ones and the nations in a row is not a flood.
  cooldown: { uses: 6, perMs: 30_000 },
  // The site may take a few seconds to answer.
  reply: { defer: true },
  // A member's constituency is theirs: shown and changed privately.
  privateFor: (request) => request.show === 'mine' || request.show === 'set-mine' || request.show === 'clear-mine',
  parse: parsePetition,
  autocomplete: suggest,
  run: async (request, context, caller) => {
    const answer = await context.campaign.geography.answer(request, caller.userId);
    if (answer.kind === 'total' && 'unavailable' in answer.petition) {
      // The detail (an address, an error code) is for the operator's log; the member hears it in plain words, privately.
      context.log.warn({ problem: answer.petition.unavailable }, '/petition: no figures to show');
      throw new UserProblem(
        'The petition site cannot be reached just now, and no figures are stored yet: try again in a few minutes.',
      );
    }
    return { answer, now: context.now(), chart: await chartOf(answer, context) };
  },
  view: {
    discord: (reply) => petitionAnswerMessage(reply.answer, reply.now, reply.chart),
    text: (reply) => petitionAnswerText(reply.answer, reply.now),
    files: (reply) => (reply.chart ? [chartFile(reply.chart)] : []),
  },
};
