// The scheduler's way into Discord: channel posts with a nonce Discord
// de-duplicates, a look through a channel's messages since a first attempt
// for a delivery's marker, and a word to a server's admins. The marker rides
// where members do not read it: a fragment of the embed's title link
// (`…#ref=digest%3A2025-11-23`). Discord's refusals become DeliveryErrors the
// scheduler can act on: a channel gone (404) or closed to the bot (403), or a
// message refused for good (400, 413), is not retried — retrying those earns
// the bot a ban. With sharding it serves only the servers on its own shards.
import {
  type APIMessage,
  type APIThreadChannel,
  ChannelType,
  type Client,
  DiscordAPIError,
  RESTJSONErrorCodes,
  Routes,
  SnowflakeUtil,
} from 'discord.js';
import { DeliveryError, type ChannelPoster, type Dispatch } from '../app/deliveries.js';
import type { PetitionChart } from '../app/petitionChart.js';
import type { Announcement } from '../store/deliveries.js';
import {
  announcementMessage,
  type BotMessage,
  burstMessage,
  digestMessage,
  retractedMessage,
  weeklyMessage,
  withChart,
  withoutFiles,
} from './messages.js';
import { threadCommentsMessage } from './commentMessages.js';
import { servesGuild } from './shards.js';
import { watchMessage } from './watchMessages.js';

/** A dispatch as Discord shows it. */
export function dispatchMessage(dispatch: Dispatch): BotMessage {
  switch (dispatch.type) {
    case 'digest':
      return digestMessage(dispatch.digest);
    case 'weekly':
      return weeklyMessage(dispatch.roundUp);
    case 'announcement':
      return announcementMessage(dispatch.announcement);
    case 'summary':
      return burstMessage(dispatch.kind, dispatch.announcements);
    case 'notice':
      return { content: dispatch.text, embeds: [], allowedMentions: { parse: [] } };
    case 'comments':
      return threadCommentsMessage(dispatch.post, dispatch.comments);
    case 'retracted':
      return retractedMessage(dispatch.what);
    case 'watch':
      return watchMessage(dispatch.batch);
  }
}

/** Messages looked through for a marker, at most (a page is 100). */
const MARKER_PAGES = 10;

/**
 * The delivery's marker as a fragment of the first embed's link (the blog's
 * address when it has none); in the footer only when the link already has a
 * fragment of its own (a comment's permalink), or in a last small line without an embed.
 */
export function withMarker(message: BotMessage, marker: string, homeUrl: string): BotMessage {
  const [first, ...rest] = message.embeds;
  if (!first) return { ...message, content: `${message.content ?? ''}\n-# ref ${marker}`.trim() };
  const link = new URL(first.url ?? homeUrl);
  if (link.hash) {
    const footer = first.footer?.text ? `${first.footer.text} · ref ${marker}` : `ref ${marker}`;
    return { ...message, embeds: [{ ...first, footer: { ...first.footer, text: footer.slice(0, 2048) } }, ...rest] };
  }
  link.hash = new URLSearchParams({ ref: marker }).toString();
  return { ...message, embeds: [{ ...first, url: link.toString() }, ...rest] };
}

/** Whether a message carries exactly `marker` (never a marker that merely contains it). */
export function carriesMarker(message: Pick<APIMessage, 'content' | 'embeds'>, marker: string): boolean {
  const inText = (text: string | undefined) =>
    (text ?? '').split(/\s·\s|\n/).some((part) => part.replace(/^-#\s*/, '').trim() === `ref ${marker}`);
  const inLink = (url: string | undefined) => {
    if (!url) return false;
    try {
      return new URLSearchParams(new URL(url).hash.slice(1)).get('ref') === marker;
    } catch {
      return false;
    }
  };
  return inText(message.content) || message.embeds.some((e) => inLink(e.url) || inText(e.footer?.text));
}

/** The chart a petition milestone carries (src/app/petitionChart.ts); null for other announcements. */
export type AnnouncementChart = (announcement: Announcement) => Promise<PetitionChart | null>;

/**
 * `homeUrl`: the blog's address, the link of an embed that has none (the marker rides on it). `chartFor`: the
 * picture a petition milestone carries; one that cannot be drawn is left out (`onChartProblem` is told), never the post.
 */
export function channelPoster(
  client: Client,
  homeUrl: string,
  chartFor: AnnouncementChart | null = null,
  onChartProblem: (error: unknown) => void = () => {},
): ChannelPoster {
  const body = (message: BotMessage) => ({
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    allowed_mentions: { parse: [], ...(message.allowedMentions.users ? { users: message.allowedMentions.users } : {}) },
  });
  /** Files as Discord takes them: `files[n]` parts, each described in `attachments` by id n. */
  const uploads = (message: BotMessage) => {
    const files = message.files ?? [];
    if (files.length === 0) return {};
    return {
      attachments: files.map((f, id) => ({ id, filename: f.name, description: f.description })),
      files: files.map((f) => ({ name: f.name, data: f.attachment, contentType: 'image/png' })),
    };
  };
  /** The dispatch's message, with the milestone's chart when there is one to draw. */
  const rendered = async (dispatch: Dispatch): Promise<BotMessage> => {
    const message = dispatchMessage(dispatch);
    if (dispatch.type !== 'announcement' || !chartFor) return message;
    const chart = await chartFor(dispatch.announcement).catch((error: unknown) => {
      onChartProblem(error);
      return null;
    });
    return withChart(message, chart);
  };
  return {
    serves: (guildId) => servesGuild(client.shard, guildId),
    async send(channelId, dispatch, { nonce, marker }) {
      try {
        const message = withMarker(await rendered(dispatch), marker, homeUrl);
        const inForum = client.channels.cache.get(channelId)?.type === ChannelType.GuildForum;
        const post = async (m: BotMessage): Promise<{ id: string }> => {
          const { attachments, files } = uploads(m);
          if (inForum) {
            // A forum takes posts, not messages: the message starts a post (a thread of the same id). Discord takes
            // no nonce here; after a crash the scheduler looks for the marker among the forum's posts.
            const thread = (await client.rest.post(Routes.threads(channelId), {
              body: {
                name: forumPostName(dispatch),
                message: { ...body(m), ...(attachments && { attachments }) },
              },
              ...(files && { files }),
            })) as APIThreadChannel;
            return { id: thread.id };
          }
          return (await reopenedIn(client, channelId, () =>
            client.rest.post(Routes.channelMessages(channelId), {
              body: { ...body(m), ...(attachments && { attachments }), nonce, enforce_nonce: true },
              ...(files && { files }),
            }),
          )) as APIMessage;
        };
        const sent = await post(message).catch((error: unknown) => {
          // Attach Files is the one thing a picture needs beyond posting: without it, the milestone goes without the
          // picture (once, not in a loop), rather than the delivery being switched off.
          if (!message.files?.length || !(error instanceof DiscordAPIError) || error.status !== 403) throw error;
          onChartProblem(new Error(`Discord refused the chart in channel ${channelId}: ${error.message}`));
          return post(withoutFiles(message));
        });
        return { id: sent.id };
      } catch (error) {
        throw asDeliveryError(error);
      }
    },
    async startThread(channelId, messageId, name) {
      // In a forum, the announcement was the post: its thread has the message's id.
      if (client.channels.cache.get(channelId)?.type === ChannelType.GuildForum) return { id: messageId };
      try {
        const thread = (await client.rest.post(Routes.threads(channelId, messageId), {
          body: { name, auto_archive_duration: 10080 },
        })) as APIThreadChannel;
        return { id: thread.id };
      } catch (error) {
        // Started already (a crash before it was recorded): a thread on a message has the message's id.
        if (error instanceof DiscordAPIError && error.code === THREAD_ALREADY_STARTED) return { id: messageId };
        throw asDeliveryError(error);
      }
    },
    async findMarker(channelId, marker, since) {
      const forum = client.channels.cache.get(channelId);
      if (forum?.type === ChannelType.GuildForum) return findForumPost(client, forum.guildId, channelId, marker, since);
      // From a minute before the first attempt, oldest first, page after page.
      let after = SnowflakeUtil.generate({ timestamp: Date.parse(since) - 60_000 }).toString();
      try {
        for (let page = 0; page < MARKER_PAGES; page++) {
          const query = new URLSearchParams({ after, limit: '100' });
          const messages = (await client.rest.get(Routes.channelMessages(channelId), { query })) as APIMessage[];
          const mine = messages.find((m) => m.author.id === client.user?.id && carriesMarker(m, marker));
          if (mine) return mine.id;
          if (messages.length < 100) return null;
          after = messages.reduce((newest, m) => (BigInt(m.id) > BigInt(newest) ? m.id : newest), after);
        }
        return null;
      } catch (error) {
        throw asDeliveryError(error);
      }
    },
    async edit(channelId, messageId, dispatch) {
      const message = dispatchMessage(dispatch);
      // A forum post's first message is in the post (a thread of the message's id), not in the forum.
      const where = client.channels.cache.get(channelId)?.type === ChannelType.GuildForum ? messageId : channelId;
      try {
        // Everything replaced: no content, embed, button or picture of the old message is left.
        await client.rest.patch(Routes.channelMessage(where, messageId), {
          body: {
            ...body(message),
            content: message.content ?? '',
            components: message.components ?? [],
            attachments: [],
          },
        });
      } catch (error) {
        throw asDeliveryError(error);
      }
    },
    async openDm(userId) {
      try {
        // Discord answers with the same channel every time: nothing to keep.
        const channel = (await client.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
          id: string;
        };
        return channel.id;
      } catch (error) {
        throw asDeliveryError(error);
      }
    },
    async notifyAdmins(guildId, dispatch) {
      const guild = await client.guilds.fetch(guildId).catch(() => null);
      const channelId = guild?.systemChannelId;
      if (!channelId) return false;
      try {
        await client.rest.post(Routes.channelMessages(channelId), { body: body(dispatchMessage(dispatch)) });
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * A forum post of the bot's started since `since` whose first message carries `marker`: the forum's active posts
 * (a post just made is active), each one's starter message read (it has the post's id).
 */
async function findForumPost(
  client: Client,
  guildId: string,
  forumId: string,
  marker: string,
  since: string,
): Promise<string | null> {
  try {
    const after = BigInt(SnowflakeUtil.generate({ timestamp: Date.parse(since) - 60_000 }).toString());
    const active = (await client.rest.get(Routes.guildActiveThreads(guildId))) as { threads: APIThreadChannel[] };
    const posts = active.threads.filter((t) => t.parent_id === forumId && BigInt(t.id) > after);
    for (const post of posts) {
      const first = (await client.rest
        .get(Routes.channelMessage(post.id, post.id))
        .catch(() => null)) as APIMessage | null;
      if (first && first.author.id === client.user?.id && carriesMarker(first, marker)) return post.id;
    }
    return null;
  } catch (error) {
    throw asDeliveryError(error);
  }
}

/** Discord's answer to a second thread on one message. */
const THREAD_ALREADY_STARTED = RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage;

/**
 * Send into a channel; a thread Discord archived (inactive for a while) is reopened and the send tried once more.
 * The thread is reopened first when the bot already knows it is archived.
 */
async function reopenedIn<T>(client: Client, channelId: string, send: () => Promise<T>): Promise<T> {
  const reopen = () => client.rest.patch(Routes.channel(channelId), { body: { archived: false } });
  const known = client.channels.cache.get(channelId);
  if (known?.isThread() && known.archived) await reopen();
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof DiscordAPIError) || error.code !== RESTJSONErrorCodes.InvalidActionOnArchivedThread)
      throw error;
    await reopen();
    return send();
  }
}

/** A forum post's name: the announcement's title (a summary's count), within Discord's 100 characters. */
function forumPostName(dispatch: Dispatch): string {
  const title =
    dispatch.type === 'announcement'
      ? dispatch.announcement.kind === 'petition'
        ? dispatch.announcement.body
        : dispatch.announcement.title
      : dispatch.type === 'summary'
        ? `${dispatch.announcements.length} new posts`
        : 'From the archive bot';
  const clean = title.replace(/\s+/g, ' ').trim() || 'New post';
  return clean.length <= 100 ? clean : `${clean.slice(0, 99).trimEnd()}…`;
}

function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DiscordAPIError) {
    if (error.status === 404) return new DeliveryError('gone', `Discord: ${error.message}`);
    if (error.status === 403) return new DeliveryError('forbidden', `Discord: ${error.message}`);
    // The message itself is refused (invalid form body, too large): sending it again gets the same answer.
    if (error.status === 400 || error.status === 413) return new DeliveryError('rejected', `Discord: ${error.message}`);
  }
  return new DeliveryError('transient', error instanceof Error ? error.message : String(error));
}
