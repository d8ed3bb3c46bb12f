// Archive text made safe and sized for Discord. Everything from the archive
// or from a member is untrusted: Markdown is escaped, mentions are broken (on
// top of the client's `allowedMentions: { parse: [] }`), links are not
// masked, and every piece is cut at a word to fit Discord's limits.
/** Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
  choiceName: 100,
  selectLabel: 100,
  choiceValue: 100,
  customId: 100,
  /** An attachment's description (alt text). */
  attachmentDescription: 1024,
} as const;

const ZWSP = '\u200b';

/** Characters Markdown acts on anywhere in a line; Discord shows each as itself after a backslash. */
const MARKDOWN_CHARACTERS = /[\\*_~`|[\]]/g;
/** What makes a line a heading, subtext, quote or list item: `#`, `-#`, `>`, `-`, `+` or `1.` at its start. */
const LINE_MARKERS = /^([^\S\n]*)([#>+-]|\d+\.)/gm;

/**
 * Text that renders as itself: no Markdown, no mentions, no masked links, no
 * channel or emoji references. Every Markdown character is escaped one by one,
 * not as patterns: discord.js's escapeMarkdown works by pattern and leaves
 * live bold in a run of seven asterisks, and a highlight can split a pattern in two.
 */
export function inert(text: string): string {
  const escaped = text
    .replace(MARKDOWN_CHARACTERS, (c) => `\\${c}`)
    .replace(LINE_MARKERS, (_, space: string, marker: string) =>
      marker.endsWith('.') ? `${space}${marker.slice(0, -1)}\\.` : `${space}\\${marker}`,
    );
  return unpinged(escaped);
}

/**
 * For the places Discord shows as plain text (embed footers and author
 * names, where Markdown escapes would show as backslashes): mentions broken only.
 */
export function unpinged(text: string): string {
  return withoutPings(text).replace(/<(#|a?:)/g, `<${ZWSP}$1`);
}

/** Mentions of people and roles broken, channel references kept: for the bot's own lines that name a channel. */
export function withoutPings(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<(@[!&]?)/g, `<${ZWSP}$1`);
}

/**
 * Web addresses in `text` without their query strings and fragments (which
 * can carry tokens and tracking ids): `https://x.example/feed?key=…` reads
 * `https://x.example/feed`. Punctuation closing a sentence or a bracket stays.
 */
export function withoutQueries(text: string): string {
  return text.replace(/(\bhttps?:\/\/[^\s?#]*)[?#]\S*?(?=[)\].,;:!'"]*(?:\s|$))/gi, '$1');
}

/**
 * Text a remote server had a say in (a problem line with an address, a status
 * text or a content type; a feed's item title): one line, addresses without
 * their queries, at most `max` characters, and inert.
 */
export function remoteText(text: string, max = 300): string {
  return inertWithin(withoutQueries(text.replace(/\s+/g, ' ')), max);
}

/**
 * `inert(cutAtWord(text, max))`, cut shorter until the escaped text fits in
 * `max` too: a title of asterisks doubles in length when escaped, and Discord
 * refuses a message whose title is over its limit.
 */
export function inertWithin(text: string, max: number): string {
  return madeWithin(text, max, inert);
}

/** `withoutPings(cutAtWord(text, max))`, cut shorter until it fits in `max` with its broken mentions. */
export function withoutPingsWithin(text: string, max: number): string {
  return madeWithin(text, max, withoutPings);
}

function madeWithin(text: string, max: number, make: (text: string) => string): string {
  let room = max;
  for (;;) {
    const out = make(cutAtWord(text, room));
    if (out.length <= max || room <= 1) return out;
    room -= Math.max(1, out.length - max);
  }
}

/** At most `max` characters, cut at the last word boundary that fits, with "…" when cut. */
export function cutAtWord(text: string, max: number): string {
  const clean = text.trim();
  if (clean.length <= max) return clean;
  const room = clean.slice(0, Math.max(0, max - 1));
  const space = room.search(/\s\S*$/);
  // At a space, unless the last word is so long (a URL) that cutting before it would lose too much.
  const cut = space > 0 && room.length - space <= 30 ? room.slice(0, space) : room;
  return `${cut.replace(/[\s,;:.–-]+$/, '')}…`;
}

/**
 * An excerpt with its matched words in bold: each piece is made inert on its
 * own, so a highlight can never open Markdown that the text then closes.
 * `max` counts the plain text; the result is cut before it is escaped.
 */
export function highlighted(text: string, highlights: readonly [number, number][], max: number): string {
  const cut = cutAtWord(text, max);
  const within = highlights.filter(([start, end]) => start < end && end <= cut.length).sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of within) {
    if (start < at) continue;
    out += inert(cut.slice(at, start));
    out += `**${inert(cut.slice(start, end))}**`;
    at = end;
  }
  return out + inert(cut.slice(at));
}

const MAX_URL = 2000;

/** A link that cannot be anything but a web address (no `javascript:`, no Markdown in it). */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    // A name and password before the host are never a link to the archive, and would put an @ in it.
    if (parsed.username || parsed.password) return null;
    // Parentheses would end a Markdown link early (encodeURIComponent leaves them alone), a backslash escape
    // its closing one, a backtick open code, and an @ could read as a mention.
    const link = parsed
      .toString()
      .replace(/[()<>[\]@`\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
    // No address of the blog's is this long; Discord refuses an embed's over 2,048.
    return link.length <= MAX_URL ? link : null;
  } catch {
    return null;
  }
}

/** `[title](url)`, or the title alone when there is no safe address. */
export function titleLink(title: string, url: string | null | undefined, max = 200): string {
  const text = inertWithin(title, max) || '(no title)';
  const link = safeUrl(url);
  return link ? `[${text}](${link})` : text;
}

/** The characters an embed counts towards Discord's 6,000 per message. */
export function embedLength(embed: {
  title?: string;
  description?: string;
  footer?: { text: string };
  author?: { name: string };
  fields?: { name: string; value: string }[];
}): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/**
 * Whole items joined with `separator` within `budget` characters, never one
 * cut in half (a cut link would show its Markdown): as many as fit, at most
 * `most`, then the line `more(n)` says how many were left out and where they are.
 */
export function withinBudget(
  items: readonly string[],
  options: { budget: number; separator: string; most?: number; more: (left: number) => string },
): string {
  const { budget, separator } = options;
  const most = Math.min(options.most ?? items.length, items.length);
  const shown: string[] = [];
  let length = 0;
  for (const [i, item] of items.slice(0, most).entries()) {
    const left = items.length - i - 1;
    const tail = left > 0 ? separator.length + options.more(left).length : 0;
    const added = (shown.length > 0 ? separator.length : 0) + item.length;
    if (length + added + tail > budget) break;
    shown.push(item);
    length += added;
  }
  const left = items.length - shown.length;
  return left > 0 ? [...shown, options.more(left)].join(separator) : shown.join(separator);
}
