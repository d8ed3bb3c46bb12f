// The Discord Markdown the bot writes, as HTML for the preview: everything
// escaped first, then bold, masked and bare links, mentions, `-#` small lines
// and `> ` quotes. Only what the bot's views use; anything else shows as typed.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML shows it literally: for the places Discord shows as plain text (footers, author names). */
export function plainHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * HTML-escaped, with Markdown's backslash escapes turned into character
 * references: `\*` shows as `*`, and the rules below, which look for the
 * characters themselves, never see it.
 */
function escaped(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])|[&<>"']/g, (c, punctuation: string | undefined) =>
    punctuation ? `&#${punctuation.charCodeAt(0)};` : ENTITIES[c]!,
  );
}

/** `[text](https://…)` or a bare address: links in one pass, so an address inside a masked link is not linked twice. */
const LINK = /\[([^[\]]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<]+)/g;

/** A bare address, less the punctuation (or quote mark) that ends the sentence around it, as Discord links it. */
function bareLink(found: string): string {
  const url = found.replace(/(?:[.,:;!?)]|&(?:quot|gt|#\d+);)+$/, '');
  return `<a href="${url}">${url}</a>${found.slice(url.length)}`;
}

/** Bold, links and mentions within one line of already escaped text. */
function inline(line: string, links: boolean): string {
  const linked = links
    ? line.replace(LINK, (_, text: string | undefined, url: string | undefined, bare: string | undefined) =>
        text && url ? `<a href="${url}">${text}</a>` : bareLink(bare ?? ''),
      )
    : line;
  return linked
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/&lt;@!?\d+&gt;/g, '<span class="mention">@member</span>');
}

/** One line's kind: `-# ` a small grey line, `> ` a quote, else plain. */
function lineKind(line: string): ['small' | 'quote' | 'plain', string] {
  if (line.startsWith('-# ')) return ['small', line.slice(3)];
  if (line.startsWith('&gt; ')) return ['quote', line.slice(5)];
  return ['plain', line];
}

const WRAP = { small: 'div class="small"', quote: 'blockquote', plain: 'div' } as const;

/** A message's content, an embed's description or a field's value, as Discord renders it. */
export function markdownHtml(text: string): string {
  const blocks: { kind: keyof typeof WRAP; lines: string[] }[] = [];
  for (const raw of escaped(text).split('\n')) {
    const [kind, line] = lineKind(raw);
    const last = blocks.at(-1);
    // Consecutive quote or plain lines are one block; every small line stands on its own.
    if (last && last.kind === kind && kind !== 'small') last.lines.push(line);
    else blocks.push({ kind, lines: [line] });
  }
  return blocks
    .map(({ kind, lines }) => {
      const tag = WRAP[kind];
      return `<${tag}>${lines.map((l) => inline(l, true)).join('<br>')}</${tag.split(' ')[0]}>`;
    })
    .join('');
}

/** An embed's title or a field's name: Markdown styles, but no links (Discord shows those as typed). */
export function titleHtml(text: string): string {
  return inline(escaped(text), false);
}
