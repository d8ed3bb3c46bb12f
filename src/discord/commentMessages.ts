// A batch of the blog's new comments as one message in the post's thread: one
// embed a comment (Discord allows ten a message, a batch holds at most ten),
// each with its author, its time in London and its permalink, its text inert
// and cut at a word to its share of the 6,000 characters a message's embeds
// may hold; a comment cut short ends with a link to the whole of it.
import type { APIEmbed } from 'discord.js';
import type { QueuedComment } from '../store/postThreads.js';
import { cutAtWord, embedLength, inertWithin, LIMITS, safeUrl, unpinged } from './format.js';
import { type BotMessage, COLOUR } from './messages.js';
import { MONTH_NAMES } from './wording.js';

/** "14:05, 3 December 2026 (London)", from the archive's local date and time; "" when there is no date. */
export function commentTime(date: string | null, time: string | null): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  if (!m) return '';
  const day = `${Number(m[3])} ${MONTH_NAMES[Number(m[2]) - 1] ?? ''} ${m[1]}`;
  return time ? `${time}, ${day} (London)` : day;
}

/** Characters kept aside in a message for the delivery's marker and the title of the first embed's link. */
const MARKER_ROOM = 200;
const MORE = 'Read the whole comment on the blog';

/** The comments of one batch as one message, at most Discord's ten embeds and 6,000 characters. */
export function threadCommentsMessage(
  post: { title: string; url: string | null },
  comments: readonly QueuedComment[],
): BotMessage {
  const shown = comments.slice(0, 10);
  const share = Math.floor((LIMITS.embedTotal - MARKER_ROOM) / Math.max(1, shown.length));
  const embeds = shown.map((c): APIEmbed => {
    const link = safeUrl(c.permalink) ?? safeUrl(post.url);
    const author = unpinged(cutAtWord(c.author?.trim() || 'Anonymous', 80));
    const when = commentTime(c.date, c.time);
    const title = when ? `Comment, ${when}` : 'Comment';
    const head = author.length + title.length;
    const room = Math.min(LIMITS.embedDescription, Math.max(50, share - head));
    let description = inertWithin(c.text, room);
    if (description.length < c.text.trim().length && link) {
      const more = `\n[${MORE}](${link})`;
      description = `${inertWithin(c.text, Math.max(20, room - more.length))}${more}`;
    }
    const embed: APIEmbed = {
      author: { name: author },
      title,
      description: description || '(no text)',
      color: COLOUR,
    };
    if (link) embed.url = link;
    return embed;
  });
  // A last guard: a batch over the total (it cannot be, by the shares above) loses its last comments, never its limit.
  while (embeds.length > 1 && embeds.reduce((n, e) => n + embedLength(e), 0) > LIMITS.embedTotal - MARKER_ROOM)
    embeds.pop();
  const where = inertWithin(post.title, 150);
  const content = `${embeds.length === 1 ? 'A new comment' : `${embeds.length} new comments`} on the blog on "${where}"`;
  return { content, embeds, allowedMentions: { parse: [] } };
}
