// The thread around a comment (the Context button) and a post's comments
// (/thread) as Discord shows them: the post's title and date on top, each
// comment credited with its author, date and time and permalink, its words
// inert; as many whole comments a page as fit, with buttons to turn the pages
// that answer only the member who asked.
import { ComponentType } from 'discord-api-types/payloads/v10';
import type { ThreadComment, ThreadView } from '../app/threads.js';
import { cutAtWord, inertWithin, LIMITS, safeUrl } from './format.js';
import { type BotMessage, COLOUR, pageButtons } from './messages.js';
import { commentWhen, removedText, roleLabel, threadHeading } from './wording.js';

/** One comment's words at most: a long one is cut, its permalink leads to the rest. */
const COMMENT_CHARS = 900;
/** Room a page leaves for its heading line within an embed's description. */
const PAGE_BUDGET = LIMITS.embedDescription - 400;

/** What a page of a thread names: a comment's context (`c`) or a post's thread (`p`). */
export type ThreadMode = 'c' | 'p';

/** A page button's id: whose pages, what they show, which page. */
function pageId(mode: ThreadMode, userId: string, id: string, page: number | 'here'): string {
  return `thread:${mode}:${userId}:${id}:${page}`;
}

/** One comment as a block of the page. */
function commentBlock(c: ThreadComment, focus: string | null): string {
  const label = roleLabel(c.role);
  const head = label ? `${c.commentId === focus ? '▶ ' : ''}__${label}__\n` : '';
  if (c.removed) {
    const when = c.date ? ` (${commentWhen(c)})` : '';
    return `${head}*${removedText(c.removed)}*${when}`;
  }
  const link = safeUrl(c.url);
  const credit = `**${inertWithin(c.author ?? 'Anonymous', 80)}** · ${commentWhen(c)}${link ? ` · [link](${link})` : ''}`;
  const replying = c.replyTo ? ` · replying to ${inertWithin(c.replyTo, 60)}` : '';
  return `${head}${credit}${replying}\n${inertWithin(c.text ?? '', COMMENT_CHARS)}`;
}

/** The blocks cut into pages of whole comments, each page within the budget. */
export function threadPages(view: ThreadView): string[][] {
  const pages: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const block of view.comments.map((c) => commentBlock(c, view.focus))) {
    if (current.length > 0 && length + block.length + 2 > PAGE_BUDGET) {
      pages.push(current);
      current = [];
      length = 0;
    }
    current.push(block);
    length += block.length + 2;
  }
  if (current.length > 0 || pages.length === 0) pages.push(current);
  return pages;
}

/** Page `page` of a thread, for the member `userId` (only they can turn its pages). */
export function threadPage(view: ThreadView, page: number, mode: ThreadMode, userId: string): BotMessage {
  const pages = threadPages(view);
  const at = Math.min(Math.max(0, page), pages.length - 1);
  const heading = threadHeading(view);
  const body = pages[at]!.join('\n\n');
  const id = mode === 'c' ? view.focus! : view.postId;
  const link = safeUrl(view.postUrl);
  const paging = pageButtons(at, pages.length, (page) => pageId(mode, userId, id, page));
  const pageable = pages.length > 1 && paging.every((b) => 'custom_id' in b && b.custom_id.length <= LIMITS.customId);
  return {
    embeds: [
      {
        title: inertWithin(view.postTitle, LIMITS.embedTitle),
        ...(link && { url: link }),
        description: cutAtWord(`${heading}\n\n${body || '*No comments to show.*'}`, LIMITS.embedDescription),
        color: COLOUR,
        footer: {
          text: `Only you see this${pages.length > 1 ? ` · page ${at + 1} of ${pages.length}` : ''}`,
        },
      },
    ],
    components: pageable ? [{ type: ComponentType.ActionRow, components: paging }] : [],
    allowedMentions: { parse: [] },
  };
}

/** What a page button's id says; null when it is not one. */
export function readPageId(
  args: readonly string[],
): { mode: ThreadMode; userId: string; id: string; page: number } | null {
  const [mode, userId, ...rest] = args;
  const page = rest.pop();
  const id = rest.join(':');
  if ((mode !== 'c' && mode !== 'p') || !userId || !id) return null;
  return { mode, userId, id, page: Number(page) || 0 };
}
