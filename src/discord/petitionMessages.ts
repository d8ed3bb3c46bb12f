// /petition where, top, nations and mine as Discord shows them: one embed
// under the petition's title, the site's names (constituencies, MPs, regions)
// inert, and the same footer as the figures: live, or their age.
import type { APIEmbed } from 'discord.js';
import type { PetitionChart } from '../app/petitionChart.js';
import type { PetitionAnswer } from '../app/petitionGeography.js';
import { ago } from '../digest/ago.js';
import { cutAtWord, inertWithin, LIMITS, remoteText, safeUrl } from './format.js';
import { type BotMessage, COLOUR, petitionMessage, problemMessage } from './messages.js';
import { geographyLines, mineLine } from './petitionWording.js';
import { formatDay } from './wording.js';

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

/** A petition link found in a new post, as /config petition offers it: the post's title left out when the post is hidden here. */
export interface PetitionOffer {
  petitionId: number;
  /** The post it was found in; null when that post is taken out of the archive in this server. */
  postTitle: string | null;
  foundAt: string;
}

/** /config petition: the petition links found in new posts, offered to follow; or the one just added. */
export interface PetitionOffersAnswer {
  petitionOffers: PetitionOffer[];
  /** The petition just added, when one was. */
  added: number | null;
  /** The petitions followed (after the addition). */
  followed: number[];
}

/** Offers shown at most: a choice list takes 25, the message no more. */
const OFFERS_SHOWN = 25;

export function petitionOffersMessage(answer: PetitionOffersAnswer): BotMessage {
  const lines = answer.petitionOffers.slice(0, OFFERS_SHOWN).map((o) => {
    const where = o.postTitle === null ? 'a post hidden in this server' : `"${inertWithin(o.postTitle, 120)}"`;
    return `• ${o.petitionId}: petition.parliament.uk/petitions/${o.petitionId} · found in ${where} · ${formatDay(o.foundAt)}`;
  });
  const more = answer.petitionOffers.length - lines.length;
  const intro =
    answer.added !== null
      ? `Petition ${answer.added} is followed now: polled with the others, its milestones announced, and members can pick it in /petition petition:.`
      : lines.length > 0
        ? 'Petition links found in new blog posts. None is followed until you add it: /config petition add: and pick one.'
        : 'No petition links found in new blog posts that the bot does not follow already.';
  const description = [
    intro,
    ...(answer.added === null ? lines : []),
    ...(answer.added === null && more > 0 ? [`…and ${more} more.`] : []),
    `Followed: ${answer.followed.join(', ')}`,
  ].join('\n');
  return {
    embeds: [{ title: 'Petitions', description: cutAtWord(description, LIMITS.embedDescription), color: COLOUR }],
    allowedMentions: { parse: [] },
  };
}
