// What members see of their topic watches: the hourly direct message with what matched (each item credited, dated,
// linked, a short excerpt with the watched words in bold; all of it inert), and /watch's private answers.
import type { APIEmbed } from 'discord.js';
import type { WatchAnswer } from '../app/watches.js';
import type { WatchBatch, WatchItem } from '../search/watch.js';
import { highlighted, inertWithin, LIMITS, titleLink, withinBudget } from './format.js';
import type { BotMessage } from './messages.js';
import { COLOUR } from './messages.js';
import { commentWhen, formatDay } from './wording.js';

const noPings = { parse: [] } as { parse: [] };
/** Items in one message at most; the rest are counted (the archive's search finds them). */
const MOST_ITEMS = 10;
const EXCERPT_CHARS = 200;

function itemText(item: WatchItem): string {
  const who = inertWithin(item.author ?? 'Anonymous', 60);
  const what = item.kind === 'comment' ? `comment by ${who}` : `post by ${who}`;
  const when = commentWhen({ date: item.date, time: item.time });
  const excerpt = highlighted(item.excerpt.text, item.excerpt.highlights, EXCERPT_CHARS);
  const watched = `watch “${inertWithin(item.query, 80)}”`;
  return `${titleLink(item.postTitle, item.url, 120)} — ${what}, ${when} · ${watched}\n${excerpt}`;
}

/** The hour's direct message: every match since the last, oldest first, within one embed. */
export function watchMessage(batch: WatchBatch): BotMessage {
  const n = batch.items.length;
  const description = withinBudget(batch.items.map(itemText), {
    budget: LIMITS.embedDescription - 200,
    separator: '\n\n',
    most: MOST_ITEMS,
    more: (left) => `…and ${left} more: /search finds them in the archive.`,
  });
  const embed: APIEmbed = {
    title: n === 1 ? 'New in the archive for your watch' : `${n} new in the archive for your watches`,
    description,
    color: COLOUR,
    footer: { text: 'Your watches: /watch list shows them, /watch remove stops one, /watch clear stops all.' },
  };
  return { embeds: [embed], allowedMentions: noPings };
}

/** /watch's answers, for the member alone. */
export function watchAnswerMessage(answer: WatchAnswer): BotMessage {
  return { content: watchAnswerText(answer), embeds: [], allowedMentions: noPings };
}

function watchAnswerText(answer: WatchAnswer): string {
  const q = (query: string) => `“${inertWithin(query, 200)}”`;
  switch (answer.done) {
    case 'added':
      return [
        `Watching ${q(answer.watch.query)} (${answer.count} of 5). New posts and comments holding every word (or the phrase) come to you by direct message, at most once an hour.`,
        answer.resumed ? 'Your paused watches are on again too.' : '',
      ]
        .filter(Boolean)
        .join('\n');
    case 'removed':
      return `No longer watching ${q(answer.watch.query)} (${answer.count} left).`;
    case 'cleared':
      return answer.count > 0
        ? `All ${answer.count} of your watches removed, with everything kept about them.`
        : 'You had no watches: nothing is kept about you here.';
    case 'resumed':
      return answer.resumed
        ? `Your watches are on again (${answer.count}): matches come by direct message, at most once an hour.`
        : 'Your watches were not paused.';
    case 'list': {
      if (answer.watches.length === 0)
        return 'You have no watches. Add one with /watch add (the search syntax, at most 5).';
      const lines = answer.watches.map((w, i) => `${i + 1}. ${q(w.query)} — since ${formatDay(w.createdAt)}`);
      const paused = answer.pause
        ? `\n**Paused** since ${formatDay(answer.pause.pausedAt)}: Discord would not let the bot send you a direct message. Allow direct messages from this server’s members, then /watch resume.`
        : '';
      return `Your watches (only you see them; /watch remove or /watch clear deletes them):\n${lines.join('\n')}${paused}`;
    }
  }
}
