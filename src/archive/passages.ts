// Cutting posts and comments into passages: the paragraphs a search hit shows
// and a member quotes. Reader comments the editor quoted between `*****`
// lines are passages of their own, signed by whoever signed them.
//
// Credit is per passage, because a misquote is the worst thing the bot can
// do. A signature credits the passages it closes: the section of the post it
// ends (sections are parted by `--oo00oo--`), from after the editor's lead-in
// ("…what he has to say, published today:-") to the signature. The editor's
// framing, and any section nobody signed, is credited to the post's author
// when the source names one (a Blogger account), else to nobody: the quote
// then says it is the blog's. A signature line is dropped from the passage it
// ends: the credit shows it, and a quote must not show it twice.
import type { Comment, Passage, Post } from './model.js';
import { paragraphs, signatureOf } from './text.js';

/** Paragraphs shorter than this (headings, list items) are joined to the next one. */
const MIN_PASSAGE = 120;
/** Passages longer than this are split at paragraph, then sentence, boundaries. */
const MAX_PASSAGE = 1500;

const QUOTE_SEPARATOR = /^\*{3,}$/;
const SECTION_BREAK = /^-+o+0+o+-+$/;

/** The post's own passages (paragraphs and quoted comments), then each comment's, in order. */
export function passagesOf(post: Post, comments: readonly Comment[]): Passage[] {
  const passages: Passage[] = [];
  const add = (kind: Passage['kind'], text: string, author: string | null, commentId: string | null) => {
    passages.push({ postId: post.id, commentId, kind, ord: passages.length, author, text });
  };

  // A post author who is only the signature at the end of the text was read from that signature, not from an account.
  const account = post.author !== null && post.author !== signatureOf(post.text) ? post.author : null;
  for (const block of postBlocks(post.text)) {
    const signed = signedParts(block.paragraphs);
    const kind = block.quoted ? 'quoted' : 'paragraph';
    for (const text of pack(signed.framing)) add(kind, text, block.quoted ? null : account, null);
    for (const text of pack(signed.body)) add(kind, text, signed.signature ?? (block.quoted ? null : account), null);
  }
  for (const comment of comments) {
    if (comment.deleted || !comment.text.trim()) continue;
    const signed = signedParts(paragraphs(comment.text));
    const own = signed.signature !== null && signed.signature === comment.author;
    const text = own ? [...signed.framing, ...signed.body] : paragraphs(comment.text);
    for (const piece of pack(text)) add('comment', piece, comment.author, comment.id);
  }
  return passages;
}

/** The editor's line introducing what follows, the blog's own idiom: "…he has to say, published today:-". */
const LEAD_IN = /:\s*[-–—]\s*$/;

interface SignedParts {
  /** Who signed the last line, when someone did. */
  signature: string | null;
  /** Up to and including the lead-in before what the signature credits (empty without a signature or lead-in). */
  framing: string[];
  /** What the signature credits, its signature line dropped; everything when nobody signed. */
  body: string[];
}

/** Split a section's paragraphs into the framing and the signed body, cutting a paragraph at its lead-in line. */
function signedParts(paras: readonly string[]): SignedParts {
  const signature = signatureOf(paras.join('\n'));
  if (signature === null) return { signature, framing: [], body: [...paras] };
  const lines = paras.flatMap((p, i) => [...(i > 0 ? [''] : []), ...p.split('\n')]);
  lines.pop(); // the signature line
  const leadIn = lines.findIndex((line) => LEAD_IN.test(line));
  const asParagraphs = (part: string[]) => paragraphs(part.join('\n'));
  return {
    signature,
    framing: leadIn < 0 ? [] : asParagraphs(lines.slice(0, leadIn + 1)),
    body: asParagraphs(lines.slice(leadIn + 1)),
  };
}

interface Block {
  quoted: boolean;
  paragraphs: string[];
}

/** Split post text at `*****` (each starts a quoted comment) and `--oo00oo--` (back to the editor's own text). */
function postBlocks(text: string): Block[] {
  const blocks: Block[] = [{ quoted: false, paragraphs: [] }];
  for (const paragraph of paragraphs(text)) {
    const lines = paragraph.split('\n');
    let buffer: string[] = [];
    const flush = () => {
      if (buffer.length) blocks.at(-1)!.paragraphs.push(buffer.join('\n'));
      buffer = [];
    };
    for (const line of lines) {
      const trimmed = line.trim();
      if (QUOTE_SEPARATOR.test(trimmed)) {
        flush();
        blocks.push({ quoted: true, paragraphs: [] });
      } else if (SECTION_BREAK.test(trimmed)) {
        flush();
        blocks.push({ quoted: false, paragraphs: [] });
      } else {
        buffer.push(line);
      }
    }
    flush();
  }
  return blocks.filter((b) => b.paragraphs.length > 0);
}

/** Join short paragraphs to the next, split long ones, so each passage reads on its own. */
function pack(paras: readonly string[]): string[] {
  const out: string[] = [];
  let pending = '';
  for (const paragraph of paras.flatMap(splitLong)) {
    const joined = pending ? `${pending}\n\n${paragraph}` : paragraph;
    if (joined.length < MIN_PASSAGE) {
      pending = joined;
    } else if (pending && joined.length > MAX_PASSAGE) {
      // Too long together: the short one stands alone (the paragraph, past 1,500 less a short one, is not short).
      out.push(pending, paragraph);
      pending = '';
    } else {
      out.push(joined);
      pending = '';
    }
  }
  if (pending) {
    const last = out.at(-1);
    // Joined with the blank line between them, the two must still fit.
    if (last !== undefined && last.length + 2 + pending.length <= MAX_PASSAGE)
      out[out.length - 1] = `${last}\n\n${pending}`;
    else out.push(pending);
  }
  return out;
}

function splitLong(paragraph: string): string[] {
  if (paragraph.length <= MAX_PASSAGE) return [paragraph];
  // A sentence ends at . ! or ? followed by a space and a capital (so "i.e. prison" stays whole).
  const sentences = paragraph.split(/(?<=[.!?]["'”’)]*)\s+(?=["'“‘(]?[\p{Lu}\d])/u).map((s) => `${s} `);
  const out: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    if (current && current.length + sentence.length > MAX_PASSAGE) {
      out.push(current.trim());
      current = '';
    }
    current += sentence;
  }
  if (current.trim()) out.push(current.trim());
  // A single sentence longer than the limit is cut at spaces.
  return out.flatMap((s) => (s.length <= MAX_PASSAGE ? [s] : hardWrap(s)));
}

function hardWrap(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > MAX_PASSAGE) {
    const cut = rest.lastIndexOf(' ', MAX_PASSAGE);
    const at = cut > MAX_PASSAGE / 2 ? cut : MAX_PASSAGE;
    out.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) out.push(rest);
  return out;
}
