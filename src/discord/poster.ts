// The scheduler's way into Discord: channel posts with a nonce Discord
// de-duplicates, a look through a channel's recent messages for a marker,
// and a word to a server's admins. Discord's refusals become DeliveryErrors
// the scheduler can act on: a channel gone (404) or closed to the bot (403)
// is not retried — retrying those earns the bot a ban.
import { DiscordAPIError, Routes, type APIMessage, type Client } from 'discord.js';
import { DeliveryError, type ChannelPoster, type Dispatch } from '../app/deliveries.js';
import { announcementMessage, type BotMessage, burstMessage, digestMessage } from './messages.js';

/** A dispatch as Discord shows it. */
export function dispatchMessage(dispatch: Dispatch): BotMessage {
  switch (dispatch.type) {
    case 'digest':
      return digestMessage(dispatch.digest);
    case 'announcement':
      return announcementMessage(dispatch.announcement);
    case 'summary':
      return burstMessage(dispatch.kind, dispatch.announcements);
    case 'notice':
      return { content: dispatch.text, embeds: [], allowedMentions: { parse: [] } };
  }
}

/** The delivery's marker in the footer (or a last small line): how a later run recognises it in the channel. */
function withMarker(message: BotMessage, marker: string): BotMessage {
  const [first, ...rest] = message.embeds;
  if (!first) return { ...message, content: `${message.content ?? ''}\n-# ${marker}`.trim() };
  const footer = first.footer?.text ? `${first.footer.text} · ${marker}` : marker;
  return { ...message, embeds: [{ ...first, footer: { ...first.footer, text: footer.slice(0, 2048) } }, ...rest] };
}

export function channelPoster(client: Client): ChannelPoster {
  const body = (message: BotMessage) => ({
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    allowed_mentions: { parse: [], ...(message.allowedMentions.users ? { users: message.allowedMentions.users } : {}) },
  });
  return {
    async send(channelId, dispatch, { nonce, marker }) {
      try {
        const sent = (await client.rest.post(Routes.channelMessages(channelId), {
          body: { ...body(withMarker(dispatchMessage(dispatch), marker)), nonce, enforce_nonce: true },
        })) as APIMessage;
        return { id: sent.id };
      } catch (error) {
        throw asDeliveryError(error);
      }
    },
    async findMarker(channelId, marker) {
      try {
        const recent = (await client.rest.get(Routes.channelMessages(channelId), {
          query: new URLSearchParams({ limit: '50' }),
        })) as APIMessage[];
        const mine = recent.find(
          (m) =>
            m.author.id === client.user?.id &&
            (m.embeds.some((e) => e.footer?.text?.includes(marker)) || m.content.includes(marker)),
        );
        return mine?.id ?? null;
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

function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DiscordAPIError) {
    if (error.status === 404) return new DeliveryError('gone', `Discord: ${error.message}`);
    if (error.status === 403) return new DeliveryError('forbidden', `Discord: ${error.message}`);
  }
  return new DeliveryError('transient', error instanceof Error ? error.message : String(error));
}
