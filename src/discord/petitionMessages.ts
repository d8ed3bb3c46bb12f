// /petition where, top, nations and mine as Discord shows them: one embed
// under the petition's title, the site's names (constituencies, MPs, regions)
// inert, and the same footer as the figures: live, or their age.
import type { APIEmbed } from 'discord.js';
import type { PetitionChart } from '../app/petitionChart.js';
import type { PetitionAnswer } from '../app/petitionGeography.js';
import { ago } from '../digest/ago.js';
import { inertWithin, LIMITS, remoteText, safeUrl } from './format.js';
import { type BotMessage, COLOUR, petitionMessage, problemMessage } from './messages.js';
import { geographyLines, mineLine } from './petitionWording.js';

/** A name from the petition site: one line, at most 100 characters, inert. */
const shown = (siteText: string) => inertWithin(siteText.replace(/\s+/g, ' '), 100);

export function petitionAnswerMessage(
  answer: PetitionAnswer,
  now: Date,
  chart: PetitionChart | null = null,
): BotMessage {
  switch (answer.kind) {
    case 'total':
      return petitionMessage(answer.petition, now, chart);
    case 'mine-set':
    case 'mine-cleared':
      return problemMessage(mineLine(answer, shown));
    default: {
      const lines = geographyLines(answer, shown);
      const p = answer.petition;
      const embed: APIEmbed = {
        title: remoteText(p.progress.title, LIMITS.embedTitle),
        description: lines.join('\n'),
        color: COLOUR,
        footer: {
          text: p.live
            ? `Live from petition.parliament.uk${now.getTime() - Date.parse(answer.takenAt) >= 60_000 ? ` · as of ${ago(answer.takenAt, now)}` : ''}`
            : `The petition site could not be reached: figures as of ${ago(answer.takenAt, now)}`,
        },
      };
      const link = safeUrl(p.progress.link);
      if (link) embed.url = link;
      return { embeds: [embed], allowedMentions: { parse: [] } };
    }
  }
}
