// The bot's messages as Discord-like HTML pages, for people changing a view to
// look at what members will see: pure (no files), faithful enough to judge
// layout and wording, not a copy of Discord.
import {
  ButtonStyle,
  ComponentType,
  type APIButtonComponent,
  type APIEmbed,
  type APIStringSelectComponent,
} from 'discord.js';
import type { BotMessage } from './messages.js';
import { markdownHtml, plainHtml, titleHtml } from './previewMarkdown.js';

/** One answer as the preview shows it. */
export interface PreviewAnswer {
  /** The page's file name, without `.html`. */
  slug: string;
  /** What was asked (a console line), or what posted it ("Daily digest, 2023-11-23"). */
  asked: string;
  /** The command a member used, shown above the answer as Discord does; null for the bot's own posts. */
  command: string | null;
  /** Seen only by the member who asked. */
  ephemeral: boolean;
  message: BotMessage;
}

const BOT_NAME = 'On Probation archive';

function embedHtml(embed: APIEmbed): string {
  const colour = `#${(embed.color ?? 0x1e1f22).toString(16).padStart(6, '0')}`;
  const title = embed.title ? titleHtml(embed.title) : '';
  const parts = [
    embed.author ? `<div class="author">${plainHtml(embed.author.name)}</div>` : '',
    title ? `<div class="title">${embed.url ? `<a href="${plainHtml(embed.url)}">${title}</a>` : title}</div>` : '',
    embed.description ? `<div class="description">${markdownHtml(embed.description)}</div>` : '',
    embed.fields?.length ? `<div class="fields">${embed.fields.map(fieldHtml).join('')}</div>` : '',
    embed.footer ? `<div class="footer">${plainHtml(embed.footer.text)}</div>` : '',
  ];
  return `<div class="embed" style="border-left-color:${colour}">${parts.join('')}</div>`;
}

function fieldHtml(field: { name: string; value: string; inline?: boolean }): string {
  return `<div class="field${field.inline ? ' inline' : ''}"><div class="name">${titleHtml(field.name)}</div><div class="value">${markdownHtml(field.value)}</div></div>`;
}

const BUTTON_CLASS: Record<number, string> = {
  [ButtonStyle.Primary]: 'primary',
  [ButtonStyle.Secondary]: 'secondary',
  [ButtonStyle.Success]: 'success',
  [ButtonStyle.Danger]: 'danger',
  [ButtonStyle.Link]: 'secondary',
};

function buttonHtml(button: APIButtonComponent): string {
  const label = 'label' in button && button.label ? plainHtml(button.label) : '';
  const link = 'url' in button ? ' ↗' : '';
  const disabled = button.disabled ? ' disabled' : '';
  return `<button class="${BUTTON_CLASS[button.style] ?? 'secondary'}"${disabled}>${label}${link}</button>`;
}

/** A select menu, closed, as Discord draws it: its placeholder and a chevron. */
function selectHtml(menu: APIStringSelectComponent): string {
  const options = menu.options.map((o) => `<li>${plainHtml(o.label)}</li>`).join('');
  return `<div class="select"><span>${plainHtml(menu.placeholder ?? 'Make a selection')}</span><span class="chevron">⌄</span><ul>${options}</ul></div>`;
}

function componentHtml(component: APIButtonComponent | APIStringSelectComponent): string {
  return component.type === ComponentType.StringSelect ? selectHtml(component) : buttonHtml(component);
}

/** The message itself, as a member sees it in the channel. */
export function messageHtml(answer: PreviewAnswer): string {
  const { message, command, ephemeral } = answer;
  const used = command
    ? `<div class="used"><span class="who">member</span> used <span class="cmd">/${plainHtml(command)}</span></div>`
    : '';
  const content = message.content ? `<div class="content">${markdownHtml(message.content)}</div>` : '';
  const rows = (message.components ?? [])
    .map((row) => `<div class="row">${row.components.map(componentHtml).join('')}</div>`)
    .join('');
  const only = ephemeral ? `<div class="only">${EYE} Only you can see this · <a>Dismiss message</a></div>` : '';
  return `<article class="message${ephemeral ? ' ephemeral' : ''}">${used}<div class="avatar">OP</div><div class="body">
<div class="head"><span class="bot">${BOT_NAME}</span><span class="tag">APP</span><span class="time">Today at 08:00</span></div>
${content}${message.embeds.map(embedHtml).join('')}${rows}${only}</div></article>`;
}

const EYE =
  '<svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M12 5C5.6 5 2 12 2 12s3.6 7 10 7 10-7 10-7-3.6-7-10-7Zm0 11a4 4 0 1 1 0-8 4 4 0 0 1 0 8Zm0-2a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z"/></svg>';

/** A whole page: one answer in a Discord-like channel, with a way back to the index. */
export function previewPage(answer: PreviewAnswer): string {
  return document(
    answer.asked,
    `<nav><a href="index.html">All answers</a> · ${plainHtml(answer.asked)}</nav><main class="channel">${messageHtml(answer)}</main>`,
  );
}

/** What the first line of an answer says: its first embed's title, else its text. */
function summary(message: BotMessage): string {
  return message.embeds[0]?.title ?? message.content ?? '';
}

/** The list of every answer, linked, with who sees it. */
export function previewIndex(answers: readonly PreviewAnswer[], note: string): string {
  const items = answers
    .map(
      (a) =>
        `<li><a href="${plainHtml(a.slug)}.html">${a.command ? `<code>${plainHtml(a.asked)}</code>` : plainHtml(a.asked)}</a> <span class="who">${a.ephemeral ? 'only the member' : 'the channel'}</span><div class="sum">${titleHtml(summary(a.message))}</div></li>`,
    )
    .join('\n');
  return document(
    'What members see',
    `<main class="index"><h1>What members see</h1><p>${plainHtml(note)}</p><ol>${items}</ol></main>`,
  );
}

function document(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${plainHtml(title)} · preview</title>
<style>${CSS}</style></head><body>${body}</body></html>
`;
}

// Discord's dark theme, approximately: its colours and spacing, system fonts.
const CSS = `
body{margin:0;background:#313338;color:#dbdee1;font:16px/1.375 "gg sans","Noto Sans","Helvetica Neue",Helvetica,Arial,sans-serif}
a{color:#00a8fc;text-decoration:none}a:hover{text-decoration:underline}
nav{padding:8px 16px;background:#2b2d31;border-bottom:1px solid #1f2023;font-size:14px;color:#949ba4}
.channel{padding:16px 0}
.message{position:relative;padding:2px 48px 2px 72px;min-height:44px}
.message.ephemeral{background:rgba(88,101,242,.05)}
.used{font-size:14px;color:#949ba4;margin-bottom:4px}.used .who{color:#dbdee1}.used .cmd{color:#00a8fc}
.avatar{position:absolute;left:16px;width:40px;height:40px;border-radius:50%;background:#2f5f8a;color:#fff;font-weight:700;font-size:14px;display:flex;align-items:center;justify-content:center}
.head{display:flex;align-items:center;gap:4px}.bot{color:#f2f3f5;font-weight:500}
.tag{background:#5865f2;color:#fff;font-size:10px;font-weight:600;padding:1px 4px;border-radius:3px}
.time{color:#949ba4;font-size:12px;margin-left:4px}
.content{margin:2px 0;white-space:normal}
.embed{max-width:520px;margin-top:4px;background:#2b2d31;border-left:4px solid;border-radius:4px;padding:8px 16px 16px 12px;font-size:14px;line-height:1.375}
.author{font-weight:600;color:#f2f3f5;margin-top:8px;font-size:14px}
.title{font-weight:600;color:#f2f3f5;margin-top:8px;font-size:16px}
.description{margin-top:8px}
.fields{display:grid;grid-template-columns:repeat(3,1fr);gap:8px;margin-top:8px}
.field{grid-column:1/-1}.field.inline{grid-column:auto}.field .name{font-weight:600;color:#f2f3f5;margin-bottom:2px}
.footer{margin-top:8px;font-size:12px;color:#b5bac1}
blockquote{margin:0;padding:0 8px 0 12px;border-left:4px solid #4e5058}
.small{font-size:12px;color:#949ba4}
.mention{background:rgba(88,101,242,.3);color:#c9cdfb;border-radius:3px;padding:0 2px}
.row{display:flex;gap:8px;margin-top:8px}
button{font:inherit;font-size:14px;font-weight:500;color:#fff;border:0;border-radius:3px;padding:2px 16px;min-height:32px}
.primary{background:#5865f2}.secondary{background:#4e5058}.success{background:#248046}.danger{background:#da373c}
button[disabled]{opacity:.5}
.select{position:relative;width:400px;background:#1e1f22;border:1px solid #1e1f22;border-radius:4px;padding:8px 12px;color:#949ba4;display:flex;justify-content:space-between}
.select ul{display:none}
.only{display:flex;align-items:center;gap:4px;margin-top:4px;font-size:12px;color:#949ba4}
.index{max-width:760px;padding:16px 24px}.index h1{color:#f2f3f5;font-size:20px}
.index li{margin:10px 0}.index code{font-size:14px}.index .who{font-size:12px;color:#949ba4;margin-left:6px}
.index .sum{color:#b5bac1;font-size:14px}
`;
