// What `npm run preview` shows: fixed console lines answered by each command's
// own parse, run and Discord view (a problem as the router's one private line),
// and the scheduled posts as the poster sends them.
import { UserProblem } from '../app/userProblem.js';
import { markerOf, type Dispatch } from '../app/deliveries.js';
import {
  answersPrivately,
  definedOptions,
  type ArchiveCommand,
  type Caller,
  type CommandContext,
} from '../discord/command.js';
import { problemMessage } from '../discord/messages.js';
import { dispatchMessage, withMarker } from '../discord/poster.js';
import type { PreviewAnswer } from '../discord/preview.js';
import { dailyDigest } from '../digest/onThisDay.js';
import { DEFAULT_DIGEST_SETTING } from '../digest/schedule.js';
import { plusDays, WEEKDAYS, weekdayOf, weekFrom, weeklyRoundUp } from '../digest/weekly.js';
import type { Announcement } from '../store/deliveries.js';
import { lineOptions } from './options.js';

/** Each command once or more, as a member would type it; the last two are mistakes, answered privately. */
export const PREVIEW_LINES: readonly string[] = [
  '/search pqip workload',
  '/search query:"mass supervision" in:comments',
  '/search probation author:nobody-by-this-name',
  '/quote passage:"mass supervision"',
  '/onthisday date:2023-11-23',
  '/stats',
  '/help',
  '/petition',
  '/napo',
  '/config show',
  '/onthisday date:23/11/2023',
  '/search query:" "',
];

/** A line's answer, through the same steps the router takes on Discord. */
export async function previewLine(
  line: string,
  commands: readonly ArchiveCommand[],
  context: CommandContext,
  caller: Caller,
): Promise<Omit<PreviewAnswer, 'slug'>> {
  const [, name = '', args = ''] = /^\/?(\S+)\s*(.*)$/s.exec(line.trim()) ?? [];
  const command = commands.find((c) => c.name === name && c.data);
  // The lines are ours: one naming no Discord command is a mistake in this file, not a member's.
  if (!command) throw new Error(`preview: "${line}" names no command registered with Discord`);
  const asked = { asked: line, command: command.name };
  try {
    const request = command.parse?.(lineOptions(command.name, args, definedOptions(command)));
    const result = await command.run(request, context, caller);
    const message = command.view.discord(result, caller, context);
    return { ...asked, ephemeral: answersPrivately(command, request), message };
  } catch (error) {
    if (!(error instanceof UserProblem)) throw error;
    return { ...asked, ephemeral: true, message: problemMessage(error.message) };
  }
}

/** A made-up new post, as the announcement of one looks. */
function madeUpPost(blogUrl: string, n: number, createdAt: string): Announcement {
  return {
    id: n,
    kind: 'posts',
    key: `preview-${n}`,
    title: `A made-up post number ${n}, to show an announcement`,
    body: 'Its opening lines would be here: enough of the post to tell members what it is about before they follow the link.',
    link: `${blogUrl.replace(/\/$/, '')}/2023/11/made-up-post-${n}.html`,
    createdAt,
  };
}

/** The daily digest, one announcement, a summary of several and a weekly round-up, each with its delivery marker as posted. */
export function scheduledPosts(context: CommandContext, date: string, guildId: string): Omit<PreviewAnswer, 'slug'>[] {
  const at = context.now().toISOString();
  const announcements = [1, 2, 3].map((n) => madeUpPost(context.blogUrl, n, at));
  // The round-up of the week the date is in (Monday to Sunday), as posted the Monday after.
  const week = weekFrom(plusDays(date, -WEEKDAYS.indexOf(weekdayOf(date))));
  const posted = (
    asked: string,
    dispatch: Dispatch,
    key: { kind: 'digest' | 'weekly' | 'posts' | 'summary'; key: string },
  ) => ({
    asked,
    command: null,
    ephemeral: false,
    message: withMarker(dispatchMessage(dispatch), markerOf({ guildId, ...key }), context.blogUrl),
  });
  return [
    posted(
      `Daily digest, ${date}`,
      { type: 'digest', digest: dailyDigest(context.archive.onThisDay(date)) },
      { kind: 'digest', key: date },
    ),
    posted(
      'Announcement of a new post (made up)',
      { type: 'announcement', announcement: announcements[0]! },
      { kind: 'posts', key: announcements[0]!.key },
    ),
    posted(
      'Summary of announcements after downtime (made up)',
      { type: 'summary', kind: 'posts', announcements },
      { kind: 'summary', key: `posts:${date}` },
    ),
    posted(
      `Weekly round-up, ${week.from} to ${week.last}`,
      {
        type: 'weekly',
        roundUp: weeklyRoundUp(context.archive.week(week), context.campaign.week(week, DEFAULT_DIGEST_SETTING.zone)),
        zone: DEFAULT_DIGEST_SETTING.zone,
      },
      { kind: 'weekly', key: week.to },
    ),
  ];
}

/** Every answer the preview shows, each with its page's name. */
export async function previewAnswers(
  commands: readonly ArchiveCommand[],
  context: CommandContext,
  options: { date: string; caller: Caller & { guildId: string } },
): Promise<PreviewAnswer[]> {
  const answers: Omit<PreviewAnswer, 'slug'>[] = [];
  for (const line of PREVIEW_LINES) answers.push(await previewLine(line, commands, context, options.caller));
  answers.push(...scheduledPosts(context, options.date, options.caller.guildId));
  return answers.map((a, i) => ({ ...a, slug: slugOf(i, a.asked) }));
}

/** `03-search-author-nobody…`: in order, readable, safe as a file name. */
function slugOf(i: number, asked: string): string {
  const words = asked
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${String(i + 1).padStart(2, '0')}-${words.slice(0, 48).replace(/-$/, '')}`;
}
