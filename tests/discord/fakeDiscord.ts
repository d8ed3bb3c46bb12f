// A fake Discord for end-to-end tests: one 127.0.0.1 port serves the REST API under /api/v10 and the
// gateway WebSocket, so the real discord.js Client logs in, receives interactions and answers them as it
// would in production. Every request is recorded, so tests assert on what Discord would have received, and
// faults (429, 5xx, 10062, 403, dropped sockets) can be injected to pin the bot's behaviour when Discord
// misbehaves. It enforces the platform limits the bot must respect (message and embed sizes, the 3 s
// acknowledgement deadline, command definitions), so a formatter bug fails here rather than in production.
// It speaks sharding as Discord does: with several guilds (option `guilds`), each shard's IDENTIFY gets only
// the guilds on that shard, and a guild's events and interactions go to its shard's session alone.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayCloseCodes,
  GatewayOpcodes,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIDMChannel,
  type APIEmbed,
  type APIGuildMember,
  type GuildMemberFlags,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIRole,
  type APITextChannel,
  type APIGuildForumChannel,
  type APIThreadChannel,
  type APIUser,
  type RoleFlags,
} from 'discord.js';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

// ---------------------------------------------------------------------------------------------------------
// Public types

export interface FakeDiscordOptions {
  /** The only bot token accepted (REST `Authorization: Bot <token>` and gateway IDENTIFY); any non-empty token if unset. */
  token?: string;
  /** HELLO's heartbeat interval; Discord sends about 41 s, tests may shorten it to exercise heartbeats. */
  heartbeatIntervalMs?: number;
  /** How long response(), waitForRequest() and the like wait before failing with a description; default 5000. */
  waitTimeoutMs?: number;
  /** Discord answers 10062 to an interaction callback later than 3 s after the interaction; Infinity turns that off. */
  ackDeadlineMs?: number;
  /** The first guild's name; the others are "Test Guild 2" and so on. */
  guildName?: string;
  /**
   * How many guilds the bot is in (default 1), each with its text channel "general", the bot, the plain member
   * and the moderator. Guild i (`fake.guilds[i]`) is on shard i % count for 2 to 6 shards.
   */
  guilds?: number;
  /** The `shards` `GET /gateway/bot` recommends (what `auto` sharding starts); default 1. */
  recommendedShards?: number;
  /** More guilds than this on one shard's IDENTIFY is closed with 4011 Sharding required; default 2500, as Discord. */
  maxGuildsPerShard?: number;
  /**
   * Discord's global limit: requests carrying the bot token past this many in one second are answered 429 with
   * `X-RateLimit-Global`. Interaction callbacks and webhook routes (no bot token) are not counted, as Discord
   * documents. Default 50, as Discord; Infinity turns it off.
   */
  globalLimitPerSecond?: number;
}

export interface RecordedFile {
  /** The multipart field name, `files[0]` and so on. */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** One REST request as Discord would have received it. */
export interface RecordedRequest {
  method: string;
  /** Decoded and without the /api/v10 prefix: `/webhooks/{appId}/{token}/messages/@original`. */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON, or the `payload_json` part of a multipart body; undefined when there was no body. */
  body: unknown;
  files: RecordedFile[];
  /** The status the fake answered with. */
  status: number;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface GatewayPayload {
  op: number;
  d: unknown;
  s?: number | null;
  t?: string | null;
}

export interface GatewayEvent extends GatewayPayload {
  direction: 'sent' | 'received';
  at: number;
  /** The `[shard id, shard count]` of the session the payload went over, once it has identified. */
  shard?: [number, number];
}

/** Matches requests by method and decoded path; in a string path `*` stands for one segment. */
export interface RequestMatcher {
  method?: string;
  path: string | RegExp;
}

export interface FaultResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface AllowedMentions {
  parse?: ('users' | 'roles' | 'everyone')[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

/** The parts of a message body (create, edit, interaction reply) the fake reads. */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  flags?: number;
  allowed_mentions?: AllowedMentions;
  attachments?: { id: string | number; filename?: string }[];
  tts?: boolean;
  nonce?: string | number;
  /** With a nonce: a second send of it within Discord's window returns the first message instead of a new one. */
  enforce_nonce?: boolean;
  message_reference?: { message_id?: string; channel_id?: string };
  sticker_ids?: string[];
  poll?: unknown;
}

export interface InteractionCallbackData extends MessageBody {
  choices?: { name: string; value: string | number }[];
  custom_id?: string;
  title?: string;
}

/** The body of `POST /interactions/{id}/{token}/callback`. */
export interface InteractionCallback {
  type: InteractionResponseType;
  data?: InteractionCallbackData;
}

/** Who triggers an interaction, and where. */
export interface InteractionContext {
  /** Default: `fake.users.member`. A user who isn't a member yet joins the guild without roles. */
  user?: APIUser;
  /** The member's permissions in the channel; default: computed from their roles and the channel. */
  permissions?: bigint | string;
  /** The bot's permissions in the channel (`app_permissions`); default: computed from its roles and the channel. */
  appPermissions?: bigint | string;
  /** Default: the guild's text channel. */
  channelId?: string;
  /**
   * One of `fake.guilds` (default: the channel's guild, else the first); null sends the interaction from a DM
   * with the bot. It arrives on the session of the shard the guild is on.
   */
  guildId?: string | null;
  locale?: Locale;
}

/** A dispatched interaction, to await what the bot answered. */
export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** The INTERACTION_CREATE payload as dispatched. */
  readonly payload: APIInteraction;
  /** This interaction's callback path, for failNext(). */
  readonly callbackPath: string;
  /** The first accepted callback, `{ type, data }`. */
  response(timeoutMs?: number): Promise<InteractionCallback>;
  /**
   * The original response once it holds the answer: at once after a reply (4) or update (7), after the first
   * edit of a deferral (5, 6). Fails at once if the answer carries no message (autocomplete, modal). If the
   * handler edits a reply it already sent, wait with edits(n) instead.
   */
  final(timeoutMs?: number): Promise<APIMessage>;
  /** The original response after it has been edited `count` times. */
  edits(count: number, timeoutMs?: number): Promise<APIMessage>;
  /** The follow-up at `index` (0 for the first). */
  followup(index?: number, timeoutMs?: number): Promise<APIMessage>;
  /** The original response as it is now, if any. */
  original(): APIMessage | undefined;
  /** Every state the original response went through, oldest first. */
  readonly history: readonly APIMessage[];
  /** Ends the token's life as Discord does after 15 minutes: callbacks answer 10062, webhooks 50027. */
  expire(): void;
}

export interface FakeGuild {
  id: string;
  name: string;
  /** The text channel interactions come from unless a test says otherwise. */
  textChannel: APITextChannel;
  roles: { everyone: APIRole; moderator: APIRole; bot: APIRole };
}

export interface FakeDiscord {
  /** For `new Client({ rest: { api: fake.restApi } })`. */
  readonly restApi: string;
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  /** The first guild, `guilds[0]`: where interactions come from unless a test says otherwise. */
  readonly guild: FakeGuild;
  /** Every guild the bot is in (option `guilds`); guild i is on shard i % count for 2 to 6 shards. */
  readonly guilds: readonly FakeGuild[];
  /** A plain member (the @everyone permissions) and a moderator (Manage Server). */
  readonly users: { member: APIUser; moderator: APIUser };
  readonly requests: readonly RecordedRequest[];
  /** Every gateway payload, both ways. */
  readonly gateway: readonly GatewayEvent[];

  slashCommand(
    name: string,
    options?: APIApplicationCommandInteractionDataOption[],
    context?: InteractionContext,
  ): InteractionHandle;
  /** `options` as Discord sends them, with exactly one `focused: true`. */
  autocomplete(
    name: string,
    options: APIApplicationCommandInteractionDataOption[],
    context?: InteractionContext,
  ): InteractionHandle;
  /** `message` is the message the button is on: a message object or the id of one the fake holds. */
  button(customId: string, message: APIMessage | string, context?: InteractionContext): InteractionHandle;
  stringSelect(
    customId: string,
    values: string[],
    message: APIMessage | string,
    context?: InteractionContext,
  ): InteractionHandle;
  messageContextMenu(name: string, target: APIMessage | string, context?: InteractionContext): InteractionHandle;
  /**
   * Sends a dispatch (op 0) as Discord would: about a guild (`guild_id`, or a GUILD_* event's `id`) only to the
   * sessions of the shard that guild is on, an interaction from a DM to shard 0, anything else to every session.
   */
  dispatch(event: string, data: unknown): void;

  /** Puts a message in a channel without telling the bot (Guilds intent only): a target for context menus. */
  seedMessage(input: {
    content: string;
    channelId?: string;
    author?: APIUser;
    embeds?: APIEmbed[];
    components?: unknown[];
  }): APIMessage;
  /** A channel's visible messages, newest first (ephemeral ones are not in a channel). */
  channelMessages(channelId?: string): APIMessage[];
  message(id: string): APIMessage | undefined;
  /** A new text channel (in the first guild by default); `botDenied` permissions are denied to the bot there. */
  addChannel(input: { name: string; botDenied?: bigint; guildId?: string }): APITextChannel;
  /** Delete a channel as an admin would: it answers 404 Unknown Channel from then on. */
  deleteChannel(channelId: string): void;
  /** A new forum channel (type 15): it takes posts (threads with a first message), never plain messages. */
  addForum(input: { name: string; botDenied?: bigint; guildId?: string }): APIGuildForumChannel;
  /** A thread or forum post as it is now (its `thread_metadata.archived` among the rest); undefined when there is none. */
  thread(threadId: string): APIThreadChannel | undefined;
  /** Every thread of a channel (a text channel's threads, a forum's posts), oldest first. */
  threadsIn(parentId: string): APIThreadChannel[];
  /**
   * Archive a thread as Discord does after its inactivity timeout: sends to it answer 400 50083 until it is
   * reopened. THREAD_UPDATE tells the bot, unless `quietly` (an event it missed).
   */
  archiveThread(threadId: string, options?: { quietly?: boolean }): void;
  /** Forget the nonces Discord remembers (its de-duplication window has passed). */
  expireNonces(): void;
  /**
   * The user closes their direct messages to the bot (or blocks it): a message to their DM channel is answered
   * 403 50007 "Cannot send messages to this user", as Discord does; `open` false opens them again.
   */
  closeDms(userId: string, closed?: boolean): void;
  /** A new user, member of a guild (the first by default) with the given roles of that guild. */
  addMember(input: { username: string; roleIds?: string[]; guildId?: string }): APIUser;
  /** The registered commands: global ones, or a guild's. */
  commands(guildId?: string): APIApplicationCommand[];

  /** The next `times` requests matching `matcher` get `response` instead of being handled. */
  failNext(matcher: RequestMatcher, response: FaultResponse, times?: number): void;
  /** The first request, already recorded or still to come, that satisfies `predicate`. */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  waitForGateway(predicate: (event: GatewayEvent) => boolean, timeoutMs?: number): Promise<GatewayEvent>;

  /**
   * Closes every gateway socket with a resumable code (4000 by default), or with `abrupt` cuts the TCP
   * connection without a close frame (the client sees 1006, as on a network failure). Sessions stay resumable.
   */
  dropConnection(how?: { closeCode?: number; abrupt?: boolean }): void;
  /** op 9; a non-resumable invalidation ends the session, and discord.js re-identifies (after its 5 s identify throttle). */
  invalidateSession(resumable?: boolean): void;
  /** op 7: the client should reconnect and resume. */
  requestReconnect(): void;
  close(): Promise<void>;

  /** While true, IDENTIFY gets no READY: the client stays connected but never ready, as when Discord stalls. */
  withholdReady(hold?: boolean): void;
  /** Gateway sockets open right now (any state: before IDENTIFY, identified, resumed). */
  openGatewaySockets(): number;
}

/** Responses for failNext() as Discord sends them. */
export const faults = {
  /** discord.js waits for `Retry-After` (seconds), then retries. */
  rateLimited(retryAfterSeconds = 1, global = false): FaultResponse {
    return {
      status: 429,
      // discord.js treats the mere presence of X-RateLimit-Global as global, so it is only sent when true.
      headers: {
        'retry-after': String(retryAfterSeconds),
        'x-ratelimit-scope': global ? 'global' : 'user',
        ...(global ? { 'x-ratelimit-global': 'true' } : {}),
      },
      body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global },
    };
  },
  serverError(status = 500): FaultResponse {
    return { status, body: { message: `${status}: Internal Server Error`, code: 0 } };
  },
  unknownInteraction(): FaultResponse {
    return { status: 404, body: { message: 'Unknown interaction', code: RESTJSONErrorCodes.UnknownInteraction } };
  },
  missingPermissions(): FaultResponse {
    return { status: 403, body: { message: 'Missing Permissions', code: RESTJSONErrorCodes.MissingPermissions } };
  },
  missingAccess(): FaultResponse {
    return { status: 403, body: { message: 'Missing Access', code: RESTJSONErrorCodes.MissingAccess } };
  },
  unknownChannel(): FaultResponse {
    return { status: 404, body: { message: 'Unknown Channel', code: RESTJSONErrorCodes.UnknownChannel } };
  },
  /** Note: discord.js drops its token on a 401 to an authenticated request, so later requests fail client-side. */
  unauthorized(): FaultResponse {
    return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
  },
  /** A webhook route after the interaction's 15 minutes (no bot token involved). */
  invalidWebhookToken(): FaultResponse {
    return { status: 401, body: { message: 'Invalid Webhook Token', code: RESTJSONErrorCodes.InvalidWebhookToken } };
  },
};

// ---------------------------------------------------------------------------------------------------------
// Small pure helpers

const API_PREFIX = '/api/v10';
const DISCORD_EPOCH = 1_420_070_400_000n;
const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);
// Flags a bot may set on a message; Discord ignores the others (Ephemeral only counts in interaction replies).
const SETTABLE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2;
const REPLY_FLAGS = SETTABLE_FLAGS | MessageFlags.Ephemeral;
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface FormProblem {
  path: (string | number)[];
  code: string;
  message: string;
}

/** A command option as Discord stores and returns it: fields at their default value left out. */
function asDiscordKeepsOption(option: unknown): unknown {
  if (!isRecord(option)) return option;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(option)) {
    if ((key === 'required' || key === 'autocomplete') && value === false) continue;
    if (key === 'options') {
      if (Array.isArray(value) && value.length > 0) kept[key] = value.map(asDiscordKeepsOption);
      continue;
    }
    if (value !== undefined) kept[key] = value;
  }
  return kept;
}

function snowflakeSource(): () => string {
  let increment = 0n;
  return () => (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (increment++ % 4096n)).toString();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

const NO_CONTENT: Reply = { status: 204 };

function discordError(status: number, code: number, message: string): Reply {
  return { status, body: { message, code } };
}

/** Discord's 50035 shape: errors nested by field path, each leaf holding `_errors`. */
function invalidFormBody(problems: FormProblem[]): Reply {
  const errors: Record<string, unknown> = {};
  for (const problem of problems) {
    let node = errors;
    for (const key of problem.path) {
      const child = node[String(key)];
      node = isRecord(child) ? child : (node[String(key)] = {});
    }
    const list = Array.isArray(node._errors) ? node._errors : (node._errors = []);
    list.push({ code: problem.code, message: problem.message });
  }
  return {
    status: 400,
    body: { message: 'Invalid Form Body', code: RESTJSONErrorCodes.InvalidFormBodyOrContentType, errors },
  };
}

function tooLong(path: (string | number)[], value: string | undefined, max: number): FormProblem[] {
  return value !== undefined && value.length > max
    ? [{ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` }]
    : [];
}

function embedProblems(embeds: APIEmbed[]): FormProblem[] {
  const problems: FormProblem[] = [];
  if (embeds.length > 10) problems.push(...tooLong(['embeds'], ' '.repeat(embeds.length), 10));
  let total = 0;
  embeds.forEach((embed, i) => {
    const texts: [string[], string | undefined, number][] = [
      [['title'], embed.title, 256],
      [['description'], embed.description, 4096],
      [['footer', 'text'], embed.footer?.text, 2048],
      [['author', 'name'], embed.author?.name, 256],
    ];
    const fields = embed.fields ?? [];
    if (fields.length > 25)
      problems.push({
        path: ['embeds', i, 'fields'],
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 25 or fewer in length.',
      });
    fields.forEach((field, j) => {
      texts.push([['fields', String(j), 'name'], field.name, 256], [['fields', String(j), 'value'], field.value, 1024]);
    });
    for (const [path, text, max] of texts) {
      problems.push(...tooLong(['embeds', i, ...path], text, max));
      total += text?.length ?? 0;
    }
  });
  if (total > 6000)
    problems.push({
      path: ['embeds'],
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: 'Embed size exceeds maximum size of 6000',
    });
  return problems;
}

function componentProblems(components: unknown[], flags: number): FormProblem[] {
  // Components V2 layouts have other limits (40 components in all); only classic action rows are checked.
  if (flags & MessageFlags.IsComponentsV2) return [];
  const problems: FormProblem[] = [];
  if (components.length > 5)
    problems.push({ path: ['components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
  components.forEach((row, i) => {
    const children = isRecord(row) && Array.isArray(row.components) ? row.components : [];
    if (children.length > 5)
      problems.push({
        path: ['components', i, 'components'],
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 5 or fewer in length.',
      });
    children.forEach((child: unknown, j) => {
      if (!isRecord(child)) return;
      const path = ['components', i, 'components', j];
      if (typeof child.custom_id === 'string') problems.push(...tooLong([...path, 'custom_id'], child.custom_id, 100));
      if (typeof child.label === 'string') problems.push(...tooLong([...path, 'label'], child.label, 80));
    });
  });
  return problems;
}

/** What Discord refuses in a message body; `creating` adds the empty-message check edits don't have. */
function messageBodyError(body: MessageBody, files: RecordedFile[], creating: boolean): Reply | undefined {
  if (body.content !== undefined && typeof body.content !== 'string') {
    return invalidFormBody([{ path: ['content'], code: 'BASE_TYPE_STRING', message: 'Must be a string.' }]);
  }
  const problems = [
    ...tooLong(['content'], body.content, 2000),
    ...embedProblems(body.embeds ?? []),
    ...componentProblems(body.components ?? [], body.flags ?? 0),
  ];
  const mentions = body.allowed_mentions;
  if (mentions?.parse?.includes('users') && mentions.users?.length) {
    problems.push({
      path: ['allowed_mentions'],
      code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
      message: 'parse:["users"] and users: [ids...] are mutually exclusive.',
    });
  }
  if (mentions?.parse?.includes('roles') && mentions.roles?.length) {
    problems.push({
      path: ['allowed_mentions'],
      code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
      message: 'parse:["roles"] and roles: [ids...] are mutually exclusive.',
    });
  }
  if (problems.length) return invalidFormBody(problems);
  const empty =
    !body.content &&
    !body.embeds?.length &&
    !body.components?.length &&
    !files.length &&
    !body.sticker_ids?.length &&
    !body.poll;
  if (creating && empty)
    return discordError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message');
  return undefined;
}

function choiceProblems(choices: unknown): FormProblem[] {
  if (!Array.isArray(choices))
    return [{ path: ['data', 'choices'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }];
  const problems: FormProblem[] = [];
  if (choices.length > 25)
    problems.push({
      path: ['data', 'choices'],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 25 or fewer in length.',
    });
  choices.forEach((choice: unknown, i) => {
    if (!isRecord(choice)) return;
    const name = typeof choice.name === 'string' ? choice.name : '';
    if (name.length < 1 || name.length > 100) {
      problems.push({
        path: ['data', 'choices', i, 'name'],
        code: 'BASE_TYPE_BAD_LENGTH',
        message: 'Must be between 1 and 100 in length.',
      });
    }
    if (typeof choice.value === 'string') problems.push(...tooLong(['data', 'choices', i, 'value'], choice.value, 100));
  });
  return problems;
}

function optionProblems(options: unknown, path: (string | number)[]): FormProblem[] {
  if (options === undefined || options === null) return [];
  if (!Array.isArray(options)) return [{ path, code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
  const problems: FormProblem[] = [];
  if (options.length > 25)
    problems.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  const names = new Set<string>();
  let sawOptional = false;
  options.forEach((option: unknown, i) => {
    const at = [...path, i];
    if (!isRecord(option)) {
      problems.push({ path: at, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
      return;
    }
    const name = typeof option.name === 'string' ? option.name : '';
    if (!COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
      problems.push({
        path: [...at, 'name'],
        code: 'APPLICATION_COMMAND_INVALID_NAME',
        message: 'Command name is invalid',
      });
    }
    if (names.has(name))
      problems.push({
        path: [...at, 'name'],
        code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
        message: 'Option name already exists',
      });
    names.add(name);
    const description = typeof option.description === 'string' ? option.description : '';
    if (description.length < 1 || description.length > 100) {
      problems.push({
        path: [...at, 'description'],
        code: 'BASE_TYPE_BAD_LENGTH',
        message: 'Must be between 1 and 100 in length.',
      });
    }
    if (Array.isArray(option.choices) && option.choices.length > 25) {
      problems.push({
        path: [...at, 'choices'],
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 25 or fewer in length.',
      });
    }
    const nests =
      option.type === ApplicationCommandOptionType.Subcommand ||
      option.type === ApplicationCommandOptionType.SubcommandGroup;
    if (nests) problems.push(...optionProblems(option.options, [...at, 'options']));
    else if (option.required === true && sawOptional) {
      problems.push({
        path: [...at, 'required'],
        code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        message: 'Required options must be placed before non-required options',
      });
    }
    if (!nests && option.required !== true) sawOptional = true;
  });
  return problems;
}

/** The definition checks Discord applies on registration (names, description lengths, option counts). */
function commandProblems(definition: unknown, path: (string | number)[]): FormProblem[] {
  if (!isRecord(definition))
    return [{ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' }];
  const type = definition.type ?? ApplicationCommandType.ChatInput;
  const name = typeof definition.name === 'string' ? definition.name : '';
  const description = typeof definition.description === 'string' ? definition.description : '';
  const problems: FormProblem[] = [];
  if (type === ApplicationCommandType.ChatInput) {
    if (!COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
      problems.push({
        path: [...path, 'name'],
        code: 'APPLICATION_COMMAND_INVALID_NAME',
        message: 'Command name is invalid',
      });
    }
    if (description.length < 1 || description.length > 100) {
      problems.push({
        path: [...path, 'description'],
        code: 'BASE_TYPE_BAD_LENGTH',
        message: 'Must be between 1 and 100 in length.',
      });
    }
    problems.push(...optionProblems(definition.options, [...path, 'options']));
  } else if (type === ApplicationCommandType.User || type === ApplicationCommandType.Message) {
    if (name.length < 1 || name.length > 32)
      problems.push({
        path: [...path, 'name'],
        code: 'BASE_TYPE_BAD_LENGTH',
        message: 'Must be between 1 and 32 in length.',
      });
    if (description !== '')
      problems.push({
        path: [...path, 'description'],
        code: 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID',
        message: 'Context menu commands cannot have description',
      });
  } else {
    problems.push({
      path: [...path, 'type'],
      code: 'BASE_TYPE_CHOICES',
      message: `Value must be one of {1, 2, 3, 4}.`,
    });
  }
  const permissions = definition.default_member_permissions;
  if (
    permissions !== undefined &&
    permissions !== null &&
    !(typeof permissions === 'string' && /^\d+$/.test(permissions))
  ) {
    problems.push({
      path: [...path, 'default_member_permissions'],
      code: 'BASE_TYPE_STRING',
      message: 'Must be a string of digits.',
    });
  }
  return problems;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]+')}$`);
}

function matches(matcher: RequestMatcher, method: string, path: string): boolean {
  if (matcher.method && matcher.method.toUpperCase() !== method) return false;
  const pattern = typeof matcher.path === 'string' ? globToRegExp(matcher.path) : matcher.path;
  return pattern.test(path);
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

class BodyError extends Error {}

/** JSON, or multipart/form-data (files attached) whose `payload_json` part is the JSON body. */
async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  const parseJson = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw new BodyError('The request body contains invalid JSON.');
    }
  };
  if (!contentType?.startsWith('multipart/form-data')) return { body: parseJson(raw.toString('utf8')), files: [] };
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  let body: unknown;
  const files: RecordedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') body = parseJson(value);
    } else {
      files.push({
        field,
        filename: value.name,
        contentType: value.type,
        data: Buffer.from(await value.arrayBuffer()),
      });
    }
  }
  return { body, files };
}

function richEmbed(embed: APIEmbed): APIEmbed {
  return { type: 'rich' as APIEmbed['type'], ...embed };
}

// ---------------------------------------------------------------------------------------------------------
// Waiting with a timeout that says what it was waiting for

function createWaitList(describeState: () => string) {
  const pending = new Map<() => void, (error: Error) => void>();
  return {
    /** Re-runs every pending probe after the fake's state changed. */
    notify(): void {
      for (const check of [...pending.keys()]) check();
    },
    waitFor<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const finish = (): void => {
          clearTimeout(timer);
          pending.delete(check);
        };
        const check = (): void => {
          try {
            const value = probe();
            if (value === undefined) return;
            finish();
            resolve(value);
          } catch (error) {
            finish();
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what}.\n${describeState()}`));
        }, timeoutMs);
        pending.set(check, (error) => {
          finish();
          reject(error);
        });
        check();
      });
    },
    rejectAll(error: Error): void {
      for (const reject of [...pending.values()]) reject(error);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// The server

interface InteractionRecord {
  payload: APIInteraction;
  /** `/search`, `button quote:next`: names the interaction in timeout messages. */
  label: string;
  dispatchedAt: number;
  callbacks: InteractionCallback[];
  originalId: string | undefined;
  /** For component interactions: the message the component is on, which deferUpdate/update edit. */
  componentMessageId: string | undefined;
  /** For commands: what the reply message's type and `interaction` field are made from. */
  command: { name: string; type: ApplicationCommandType } | undefined;
  edits: number;
  history: APIMessage[];
  followupIds: string[];
  expired: boolean;
}

interface GatewaySession {
  id: string;
  seq: number;
  socket: WebSocket | undefined;
  /** Every dispatch of the session, replayed from the client's sequence on RESUME. */
  dispatched: GatewayPayload[];
  /** IDENTIFY's `[shard id, shard count]`. */
  shard: [number, number];
}

/** Discord's check of IDENTIFY's shard: two integers, 0 ≤ id < count. */
function isShard(value: unknown): value is [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((n) => Number.isInteger(n))) return false;
  const [id, count] = value as [number, number];
  return count >= 1 && id >= 0 && id < count;
}

interface ParsedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  files: RecordedFile[];
}

type RouteHandler = (request: ParsedRequest, params: Record<string, string>) => Reply;

interface Route {
  method: string;
  segments: string[];
  /** Needs `Authorization: Bot <token>`; interaction callbacks and webhooks authenticate by their token. */
  bot: boolean;
  handle: RouteHandler;
}

/** A guild and who is in it. Channels and messages live in the fake's maps, roles also in `rolesById`. */
/** Every kind of channel the fake holds: text, DM, forum, and threads (a forum's posts are threads too). */
type FakeChannel = APITextChannel | APIDMChannel | APIGuildForumChannel | APIThreadChannel;

function isThread(channel: FakeChannel): channel is APIThreadChannel {
  return (
    channel.type === ChannelType.PublicThread ||
    channel.type === ChannelType.PrivateThread ||
    channel.type === ChannelType.AnnouncementThread
  );
}

interface GuildState {
  guild: FakeGuild;
  members: Map<string, GuildMemberRecord>;
}

/**
 * `count` guild ids, the i-th made from a timestamp ≡ i (mod 60): Discord's shard of a guild is
 * (id >> 22) % shards, so with 2, 3, 4, 5 or 6 shards guild i lands on shard i % shards. The worker bits
 * (1) keep them apart from the fake's other snowflakes.
 */
function guildIdsOnShards(count: number): string[] {
  const base = BigInt(Date.now()) - DISCORD_EPOCH;
  const start = base - (base % 60n) - 60n * BigInt(Math.ceil(count / 60));
  return Array.from({ length: count }, (_, i) => (((start + BigInt(i)) << 22n) | (1n << 17n)).toString());
}

/** The shard Discord sends a guild's events on. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

interface GuildMemberRecord {
  user: APIUser;
  roles: string[];
  joined_at: string;
}

/** Which callback types Discord accepts for each interaction type. */
const ALLOWED_CALLBACKS: Partial<Record<InteractionType, InteractionResponseType[]>> = {
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
};

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const waitTimeoutMs = options.waitTimeoutMs ?? 5000;
  const ackDeadlineMs = options.ackDeadlineMs ?? 3000;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
  const maxGuildsPerShard = options.maxGuildsPerShard ?? 2500;
  const nextId = snowflakeSource();
  const now = (): string => new Date().toISOString();

  // --- The world: application, users, guilds ---------------------------------------------------------
  const applicationId = nextId();
  const makeUser = (username: string, bot = false): APIUser => ({
    id: nextId(),
    username,
    discriminator: bot ? '0001' : '0',
    global_name: bot ? null : username.charAt(0).toUpperCase() + username.slice(1),
    avatar: null,
    ...(bot ? { bot: true } : {}),
  });
  const botUser: APIUser = { ...makeUser('archive-bot', true), id: applicationId };
  const makeRole = (
    id: string,
    name: string,
    permissions: bigint,
    position: number,
    extra: Partial<APIRole> = {},
  ): APIRole => ({
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...extra,
  });
  const P = PermissionFlagsBits;
  const guildRoles = (id: string): FakeGuild['roles'] => ({
    everyone: makeRole(
      id,
      '@everyone',
      P.ViewChannel |
        P.SendMessages |
        P.ReadMessageHistory |
        P.EmbedLinks |
        P.AttachFiles |
        P.AddReactions |
        P.UseApplicationCommands |
        P.UseExternalEmojis |
        P.CreateInstantInvite |
        P.ChangeNickname,
      0,
    ),
    moderator: makeRole(nextId(), 'Moderator', P.ManageGuild | P.ManageMessages | P.ManageChannels | P.KickMembers, 2),
    bot: makeRole(
      nextId(),
      'archive-bot',
      P.ViewChannel |
        P.SendMessages |
        P.EmbedLinks |
        P.AttachFiles |
        P.ReadMessageHistory |
        P.UseExternalEmojis |
        P.CreatePublicThreads |
        P.SendMessagesInThreads,
      1,
      { managed: true, tags: { bot_id: botUser.id } },
    ),
  });
  /** Every guild's roles by id (role ids are snowflakes, unique across guilds). */
  const rolesById = new Map<string, APIRole>();
  const channels = new Map<string, FakeChannel>();
  /** `channel:author:nonce` → message id, for `enforce_nonce` (kept until expireNonces(), as within Discord's window). */
  const nonces = new Map<string, string>();
  const makeTextChannel = (inGuild: string, name: string, position: number, botDenied = 0n): APITextChannel => ({
    id: nextId(),
    type: ChannelType.GuildText,
    guild_id: inGuild,
    name,
    position,
    permission_overwrites: botDenied ? [{ id: botUser.id, type: 1, allow: '0', deny: botDenied.toString() }] : [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
  });

  const usersById = new Map<string, APIUser>([[botUser.id, botUser]]);
  const users = { member: makeUser('reader'), moderator: makeUser('moderator') };
  usersById.set(users.member.id, users.member);
  usersById.set(users.moderator.id, users.moderator);
  const guildStates = new Map<string, GuildState>();
  const joinGuild = (state: GuildState, user: APIUser, roleIds: string[] = []): void => {
    usersById.set(user.id, user);
    state.members.set(user.id, { user, roles: roleIds, joined_at: now() });
  };
  /** A guild with a text channel, where the bot, the plain member and the moderator are members. */
  const addGuild = (id: string, name: string): GuildState => {
    const roles = guildRoles(id);
    for (const role of Object.values(roles)) rolesById.set(role.id, role);
    const textChannel = makeTextChannel(id, 'general', 0);
    channels.set(textChannel.id, textChannel);
    const state: GuildState = { guild: { id, name, textChannel, roles }, members: new Map() };
    guildStates.set(id, state);
    joinGuild(state, botUser, [roles.bot.id]);
    joinGuild(state, users.member);
    joinGuild(state, users.moderator, [roles.moderator.id]);
    return state;
  };
  const guildCount = Math.max(1, options.guilds ?? 1);
  // Guild i's id carries a timestamp ≡ i (mod 60), so with any shard count dividing 60 it lands on shard i % count.
  const shardedIds = guildIdsOnShards(guildCount);
  const main = addGuild(shardedIds[0]!, options.guildName ?? 'Test Guild');
  for (let i = 1; i < guildCount; i++) addGuild(shardedIds[i]!, `Test Guild ${i + 1}`);
  const { guild } = main;
  const { id: guildId, textChannel, roles } = guild;
  const guildList = [...guildStates.values()].map((state) => state.guild);
  /** The guild a channel belongs to (the first guild for a DM). */
  const guildOf = (channel: FakeChannel): GuildState =>
    (channel.type !== ChannelType.DM ? guildStates.get(channel.guild_id ?? '') : undefined) ?? main;
  const guildState = (id: string): GuildState => {
    const state = guildStates.get(id);
    if (!state)
      throw new Error(
        `fake Discord: no guild ${id}; the fake has ${[...guildStates.keys()].join(', ')} (option guilds)`,
      );
    return state;
  };

  const guildMember = (record: GuildMemberRecord): APIGuildMember => ({
    user: record.user,
    nick: null,
    avatar: null,
    banner: null,
    roles: record.roles,
    joined_at: record.joined_at,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  });

  /** Discord's permission algorithm: roles, Administrator, then @everyone, role and member overwrites. */
  const permissionsIn = (asked: FakeChannel, userId: string): bigint => {
    if (asked.type === ChannelType.DM) return roles.everyone.permissions ? BigInt(roles.everyone.permissions) : 0n;
    // A thread has no overwrites of its own: its parent's apply.
    const channel = isThread(asked) ? (channels.get(asked.parent_id ?? '') ?? asked) : asked;
    if (channel.type === ChannelType.DM) return 0n;
    const where = guildOf(channel);
    const everyoneId = where.guild.roles.everyone.id;
    const memberRoles = where.members.get(userId)?.roles ?? [];
    let permissions = [everyoneId, ...memberRoles]
      .map((id) => BigInt(rolesById.get(id)?.permissions ?? '0'))
      .reduce((all, bits) => all | bits, 0n);
    if (permissions & P.Administrator) return ALL_PERMISSIONS;
    const overwrites = ('permission_overwrites' in channel ? channel.permission_overwrites : undefined) ?? [];
    const apply = (ids: string[]): void => {
      let allow = 0n;
      let deny = 0n;
      for (const overwrite of overwrites.filter((o) => ids.includes(o.id))) {
        allow |= BigInt(overwrite.allow);
        deny |= BigInt(overwrite.deny);
      }
      permissions = (permissions & ~deny) | allow;
    };
    apply([everyoneId]);
    apply(memberRoles);
    apply([userId]);
    return permissions;
  };

  const dmChannels = new Map<string, APIDMChannel>();
  /** Users whose direct messages are closed to the bot (closeDms). */
  const closedDms = new Set<string>();
  const dmChannelWith = (user: APIUser): APIDMChannel => {
    const existing = dmChannels.get(user.id);
    if (existing) return existing;
    const channel: APIDMChannel = {
      id: nextId(),
      type: ChannelType.DM,
      recipients: [user],
      last_message_id: null,
      name: null,
    };
    dmChannels.set(user.id, channel);
    channels.set(channel.id, channel);
    return channel;
  };

  // --- Messages ---------------------------------------------------------------------------------------
  const messages = new Map<string, APIMessage>();

  /** Mentions as Discord resolves them: only what allowed_mentions permits (everything when it is absent). */
  const mentionsIn = (content: string, allowed: AllowedMentions | undefined) => {
    const parse = allowed ? (allowed.parse ?? []) : ['users', 'roles', 'everyone'];
    const userIds = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] ?? '');
    const roleIds = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] ?? '');
    const mentionedUsers = userIds
      .filter((id) => parse.includes('users') || allowed?.users?.includes(id))
      .flatMap((id) => usersById.get(id) ?? []);
    return {
      mentions: [...new Map(mentionedUsers.map((user) => [user.id, user])).values()],
      mention_roles: [
        ...new Set(
          roleIds.filter((id) => rolesById.has(id) && (parse.includes('roles') || allowed?.roles?.includes(id))),
        ),
      ],
      mention_everyone: parse.includes('everyone') && /@(everyone|here)/.test(content),
    };
  };

  const attachmentsFor = (channelId: string, files: RecordedFile[]): APIAttachment[] =>
    files.map((file) => {
      const id = nextId();
      const url = `${restBase.value}/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
      return {
        id,
        filename: file.filename,
        size: file.data.length,
        url,
        proxy_url: url,
        content_type: file.contentType,
      };
    });

  const createMessage = (
    channelId: string,
    author: APIUser,
    body: MessageBody,
    files: RecordedFile[],
    flagMask: number,
    extra: Partial<APIMessage> = {},
  ): APIMessage => {
    const message: APIMessage = {
      id: nextId(),
      channel_id: channelId,
      author,
      content: body.content ?? '',
      timestamp: now(),
      edited_timestamp: null,
      tts: body.tts ?? false,
      ...mentionsIn(body.content ?? '', body.allowed_mentions),
      attachments: attachmentsFor(channelId, files),
      embeds: (body.embeds ?? []).map(richEmbed),
      components: (body.components ?? []) as APIMessage['components'],
      pinned: false,
      type: body.message_reference?.message_id ? MessageType.Reply : MessageType.Default,
      flags: (body.flags ?? 0) & flagMask,
      ...(body.nonce !== undefined ? { nonce: body.nonce } : {}),
      ...extra,
    };
    messages.set(message.id, message);
    const channel = channels.get(channelId);
    if (channel && !((message.flags ?? 0) & MessageFlags.Ephemeral)) channel.last_message_id = message.id;
    return message;
  };

  /** A new object per edit, so earlier states kept in an interaction's history stay as they were. */
  const editMessage = (message: APIMessage, body: MessageBody, files: RecordedFile[]): APIMessage => {
    const edited: APIMessage = { ...message, edited_timestamp: now() };
    if ('content' in body)
      Object.assign(edited, { content: body.content ?? '' }, mentionsIn(body.content ?? '', body.allowed_mentions));
    if ('embeds' in body) edited.embeds = (body.embeds ?? []).map(richEmbed);
    if ('components' in body) edited.components = (body.components ?? []) as APIMessage['components'];
    if (typeof body.flags === 'number')
      edited.flags = ((message.flags ?? 0) & ~SETTABLE_FLAGS) | (body.flags & SETTABLE_FLAGS);
    if ('attachments' in body || files.length) {
      const kept = new Set((body.attachments ?? []).map((a) => String(a.id)));
      edited.attachments = [
        ...message.attachments.filter((a) => kept.has(a.id)),
        ...attachmentsFor(message.channel_id, files),
      ];
    }
    messages.set(edited.id, edited);
    return edited;
  };

  const channelMessages = (channelId: string = textChannel.id): APIMessage[] =>
    [...messages.values()]
      .filter((m) => m.channel_id === channelId && !((m.flags ?? 0) & MessageFlags.Ephemeral))
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));

  // --- Application commands ---------------------------------------------------------------------------
  const commandStore = new Map<string, APIApplicationCommand[]>();
  const scopeKey = (scopeGuildId: string | undefined): string => scopeGuildId ?? 'global';

  const toCommand = (
    definition: Record<string, unknown>,
    id: string,
    scopeGuildId: string | undefined,
  ): APIApplicationCommand => {
    const type = typeof definition.type === 'number' ? definition.type : ApplicationCommandType.ChatInput;
    // As Discord answers: its defaults filled in (dm_permission, contexts, integration types, nsfw), and options
    // without the fields left at their default (`required: false`, `autocomplete: false`, empty option lists).
    return {
      ...definition,
      id,
      application_id: applicationId,
      version: nextId(),
      type,
      name: String(definition.name),
      description: typeof definition.description === 'string' ? definition.description : '',
      default_member_permissions:
        typeof definition.default_member_permissions === 'string' ? definition.default_member_permissions : null,
      dm_permission: definition.dm_permission !== false,
      contexts: Array.isArray(definition.contexts) ? definition.contexts : null,
      nsfw: definition.nsfw === true,
      ...(Array.isArray(definition.options) && definition.options.length > 0
        ? { options: definition.options.map(asDiscordKeepsOption) }
        : { options: undefined }),
      ...(scopeGuildId ? { guild_id: scopeGuildId } : { integration_types: definition.integration_types ?? [0] }),
    } as APIApplicationCommand;
  };

  const commandScopeError = (params: Record<string, string>): Reply | undefined => {
    if (params.appId !== applicationId) {
      return discordError(
        403,
        RESTJSONErrorCodes.NotAuthorizedToPerformThisActionOnThisApplication,
        'You are not authorized to perform this action on this application',
      );
    }
    if (params.guildId !== undefined && !guildStates.has(params.guildId))
      return discordError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
    return undefined;
  };

  const putCommands = (request: ParsedRequest, params: Record<string, string>): Reply => {
    const scopeError = commandScopeError(params);
    if (scopeError) return scopeError;
    if (!Array.isArray(request.body))
      return invalidFormBody([{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }]);
    const definitions: unknown[] = request.body;
    const problems = definitions.flatMap((definition, i) => commandProblems(definition, [i]));
    const seen = new Set<string>();
    definitions.forEach((definition, i) => {
      if (!isRecord(definition)) return;
      const key = `${String(definition.type ?? 1)}:${String(definition.name)}`;
      if (seen.has(key))
        problems.push({
          path: [i, 'name'],
          code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
          message: `Application command names must be unique`,
        });
      seen.add(key);
    });
    const chatInput = definitions.filter(
      (d) => isRecord(d) && (d.type ?? 1) === ApplicationCommandType.ChatInput,
    ).length;
    if (chatInput > 100)
      problems.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' });
    if (problems.length) return invalidFormBody(problems);
    const existing = commandStore.get(scopeKey(params.guildId)) ?? [];
    const saved = definitions.filter(isRecord).map((definition) => {
      // Discord keeps a command's id when a bulk overwrite re-registers the same name and type.
      const same = existing.find((c) => c.name === definition.name && c.type === (definition.type ?? 1));
      return toCommand(definition, same?.id ?? nextId(), params.guildId);
    });
    commandStore.set(scopeKey(params.guildId), saved);
    return ok(saved);
  };

  const postCommand = (request: ParsedRequest, params: Record<string, string>): Reply => {
    const scopeError = commandScopeError(params);
    if (scopeError) return scopeError;
    const problems = commandProblems(request.body, []);
    if (problems.length || !isRecord(request.body)) return invalidFormBody(problems);
    const definition = request.body;
    const list = commandStore.get(scopeKey(params.guildId)) ?? [];
    const same = list.find((c) => c.name === definition.name && c.type === (definition.type ?? 1));
    const command = toCommand(definition, same?.id ?? nextId(), params.guildId);
    commandStore.set(scopeKey(params.guildId), [...list.filter((c) => c.id !== same?.id), command]);
    return { status: same ? 200 : 201, body: command };
  };

  const commandById = (params: Record<string, string>): APIApplicationCommand | undefined =>
    commandStore.get(scopeKey(params.guildId))?.find((c) => c.id === params.commandId);

  const registeredCommand = (
    name: string,
    type: ApplicationCommandType,
    inGuild: string | undefined,
  ): APIApplicationCommand | undefined =>
    [...(inGuild ? (commandStore.get(inGuild) ?? []) : []), ...(commandStore.get('global') ?? [])].find(
      (c) => c.name === name && c.type === type,
    );

  // --- Interactions -----------------------------------------------------------------------------------
  const interactions = new Map<string, InteractionRecord>();
  const interactionsByToken = new Map<string, InteractionRecord>();

  const interactionMember = (state: GuildState, user: APIUser, permissions: bigint): APIInteractionGuildMember => {
    const record = state.members.get(user.id) ?? { user, roles: [], joined_at: now() };
    return { ...guildMember(record), user, permissions: permissions.toString() };
  };

  /**
   * Where an interaction happens: the guild named (default: the channel's guild, else the first guild) and the
   * channel (default: that guild's text channel); null for a DM.
   */
  const interactionPlace = (context: InteractionContext): { state: GuildState; channel: APITextChannel } | null => {
    if (context.guildId === null) return null;
    const named = context.channelId === undefined ? undefined : channels.get(context.channelId);
    const state =
      context.guildId !== undefined
        ? guildState(context.guildId)
        : named?.type === ChannelType.GuildText
          ? guildOf(named)
          : main;
    const channel = context.channelId === undefined ? state.guild.textChannel : named;
    if (!channel || channel.type !== ChannelType.GuildText || channel.guild_id !== state.guild.id)
      throw new Error(
        `fake Discord: no text channel ${context.channelId ?? ''} in guild ${state.guild.id}; add it with addChannel`,
      );
    return { state, channel };
  };

  /** The fields every interaction carries: who, where, with which permissions. */
  const interactionBase = (type: InteractionType, context: InteractionContext) => {
    const user = context.user ?? users.member;
    const where = interactionPlace(context);
    const base = {
      id: nextId(),
      application_id: applicationId,
      type,
      token: randomBytes(48).toString('base64url'),
      version: 1 as const,
      locale: context.locale ?? Locale.EnglishUS,
      entitlements: [],
      attachment_size_limit: 10 * 1024 * 1024,
    };
    if (!where) {
      usersById.set(user.id, user);
      const channel = dmChannelWith(user);
      return {
        ...base,
        user,
        channel,
        channel_id: channel.id,
        app_permissions: permissionsIn(channel, botUser.id).toString(),
        authorizing_integration_owners: { '0': '0' },
        context: 1,
      };
    }
    const { state, channel } = where;
    const inGuild = state.guild.id;
    if (!state.members.has(user.id)) joinGuild(state, user);
    const permissions =
      context.permissions !== undefined ? BigInt(context.permissions) : permissionsIn(channel, user.id);
    return {
      ...base,
      guild_id: inGuild,
      guild: { id: inGuild, locale: Locale.EnglishUS, features: [] },
      guild_locale: Locale.EnglishUS,
      channel: { ...channel, permissions: permissions.toString() },
      channel_id: channel.id,
      member: interactionMember(state, user, permissions),
      app_permissions: (context.appPermissions !== undefined
        ? BigInt(context.appPermissions)
        : permissionsIn(channel, botUser.id)
      ).toString(),
      authorizing_integration_owners: { '0': inGuild },
      context: 0,
    };
  };

  /** resolved.users/members/channels/roles for the options that name them, as Discord fills them in. */
  const resolvedFor = (
    options: APIApplicationCommandInteractionDataOption[],
    context: InteractionContext,
  ): APIInteractionDataResolved | undefined => {
    // As Discord: a resolved member carries its own permissions in the interaction's channel, a resolved
    // channel the invoking member's permissions there.
    const invoker = (context.user ?? users.member).id;
    const place = interactionPlace(context);
    const where: APITextChannel | APIDMChannel = place?.channel ?? textChannel;
    const { members: inGuild } = place?.state ?? main;
    const resolved: Required<Pick<APIInteractionDataResolved, 'users' | 'members' | 'channels' | 'roles'>> = {
      users: {},
      members: {},
      channels: {},
      roles: {},
    };
    const resolveUser = (id: string, name: string): void => {
      const user = usersById.get(id);
      if (!user)
        throw new Error(
          `fake Discord: option "${name}" names user ${id}, who the fake doesn't know; add them with addMember`,
        );
      resolved.users[id] = user;
      const record = inGuild.get(id);
      if (record) {
        const { user: _user, ...member } = guildMember(record);
        resolved.members[id] = { ...member, permissions: permissionsIn(where, id).toString() };
      }
    };
    const walk = (list: APIApplicationCommandInteractionDataOption[]): void => {
      for (const option of list) {
        if ('options' in option && option.options) walk(option.options);
        if (!('value' in option)) continue;
        const id = String(option.value);
        if (option.type === ApplicationCommandOptionType.User) resolveUser(id, option.name);
        if (
          option.type === ApplicationCommandOptionType.Role ||
          (option.type === ApplicationCommandOptionType.Mentionable && rolesById.has(id))
        ) {
          const role = rolesById.get(id);
          if (!role)
            throw new Error(`fake Discord: option "${option.name}" names role ${id}, which the guild doesn't have`);
          resolved.roles[id] = role;
        } else if (option.type === ApplicationCommandOptionType.Mentionable) resolveUser(id, option.name);
        if (option.type === ApplicationCommandOptionType.Channel) {
          const channel = channels.get(id);
          if (!channel || channel.type === ChannelType.DM)
            throw new Error(`fake Discord: option "${option.name}" names channel ${id}, which the guild doesn't have`);
          resolved.channels[id] = {
            id,
            name: channel.name,
            type: channel.type,
            permissions: permissionsIn(channel, invoker).toString(),
          };
        }
      }
    };
    walk(options);
    const filled = Object.fromEntries(Object.entries(resolved).filter(([, map]) => Object.keys(map).length > 0));
    return Object.keys(filled).length ? filled : undefined;
  };

  const findMessage = (message: APIMessage | string): APIMessage => {
    if (typeof message !== 'string') {
      // A message the test built itself joins the store, so the bot's update() of it has something to edit.
      if (!messages.has(message.id)) messages.set(message.id, message);
      return messages.get(message.id) ?? message;
    }
    const stored = messages.get(message);
    if (!stored) throw new Error(`fake Discord: no message ${message}; pass a message object or one the fake holds`);
    return stored;
  };

  const handleFor = (record: InteractionRecord): InteractionHandle => {
    const { id, token } = record.payload;
    const current = (): APIMessage | undefined => (record.originalId ? messages.get(record.originalId) : undefined);
    const what = (thing: string): string => `${thing} of ${record.label} (interaction ${id})`;
    return {
      id,
      token,
      payload: record.payload,
      callbackPath: `/interactions/${id}/${token}/callback`,
      history: record.history,
      response: (timeoutMs = waitTimeoutMs) =>
        waitList.waitFor(() => record.callbacks[0], what('the callback'), timeoutMs),
      final: (timeoutMs = waitTimeoutMs) =>
        waitList.waitFor(
          () => {
            const first = record.callbacks[0];
            if (!first) return undefined;
            switch (first.type) {
              case InteractionResponseType.ChannelMessageWithSource:
              case InteractionResponseType.UpdateMessage:
                return current();
              case InteractionResponseType.DeferredChannelMessageWithSource:
              case InteractionResponseType.DeferredMessageUpdate:
                return record.edits > 0 ? current() : undefined;
              default:
                throw new Error(
                  `fake Discord: ${record.label} was answered with callback type ${first.type} (${InteractionResponseType[first.type]}), which leaves no message`,
                );
            }
          },
          what('the answer (a reply, an update, or an edit after deferring)'),
          timeoutMs,
        ),
      edits: (count, timeoutMs = waitTimeoutMs) =>
        waitList.waitFor(
          () => (record.edits >= count ? current() : undefined),
          what(`${count} edit(s) of the original response`),
          timeoutMs,
        ),
      followup: (index = 0, timeoutMs = waitTimeoutMs) =>
        waitList.waitFor(
          () => {
            const followupId = record.followupIds[index];
            return followupId ? messages.get(followupId) : undefined;
          },
          what(`follow-up #${index}`),
          timeoutMs,
        ),
      original: current,
      expire: () => {
        record.expired = true;
      },
    };
  };

  const startInteraction = (
    payload: APIInteraction,
    label: string,
    about: { componentMessageId?: string; command?: InteractionRecord['command'] } = {},
  ): InteractionHandle => {
    const record: InteractionRecord = {
      payload,
      label,
      dispatchedAt: Date.now(),
      callbacks: [],
      originalId: undefined,
      componentMessageId: about.componentMessageId,
      command: about.command,
      edits: 0,
      history: [],
      followupIds: [],
      expired: false,
    };
    dispatch('INTERACTION_CREATE', payload);
    interactions.set(payload.id, record);
    interactionsByToken.set(payload.token, record);
    return handleFor(record);
  };

  const commandInteraction = (
    commandType: ApplicationCommandType,
    name: string,
    data: Record<string, unknown>,
    context: InteractionContext,
    type: InteractionType = InteractionType.ApplicationCommand,
  ): APIInteraction => {
    const base = interactionBase(type, context);
    const command = registeredCommand(name, commandType, 'guild_id' in base ? base.guild_id : undefined);
    return {
      ...base,
      data: {
        id: command?.id ?? nextId(),
        name,
        type: commandType,
        ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
        ...data,
      },
    } as APIInteraction;
  };

  const componentInteraction = (
    customId: string,
    componentType: ComponentType,
    extra: Record<string, unknown>,
    message: APIMessage | string,
    context: InteractionContext,
    label: string,
  ): InteractionHandle => {
    const target = findMessage(message);
    const payload = {
      ...interactionBase(InteractionType.MessageComponent, { channelId: target.channel_id, ...context }),
      data: { custom_id: customId, component_type: componentType, ...extra },
      message: target,
    } as APIInteraction;
    return startInteraction(payload, label, { componentMessageId: target.id });
  };

  const unknownInteraction = (): Reply =>
    discordError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');

  const onCallback: RouteHandler = (request, params) => {
    const record = interactions.get(params.interactionId ?? '');
    if (!record || record.payload.token !== params.token || record.expired) return unknownInteraction();
    if (record.callbacks.length)
      return discordError(
        400,
        RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
        'Interaction has already been acknowledged.',
      );
    if (Date.now() - record.dispatchedAt > ackDeadlineMs) return unknownInteraction();
    const body = request.body;
    if (!isRecord(body) || typeof body.type !== 'number') {
      return invalidFormBody([{ path: ['type'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
    }
    const type = body.type as InteractionResponseType;
    if (!ALLOWED_CALLBACKS[record.payload.type]?.includes(type)) {
      return invalidFormBody([
        {
          path: ['type'],
          code: 'INTERACTION_RESPONSE_TYPE_INVALID',
          message: `Callback type ${type} is not valid for an interaction of type ${record.payload.type}`,
        },
      ]);
    }
    const data: InteractionCallbackData = isRecord(body.data) ? (body.data as InteractionCallbackData) : {};
    const channelId = record.payload.channel?.id ?? textChannel.id;
    const user = record.payload.member?.user ?? record.payload.user ?? users.member;
    const replyExtra = (): Partial<APIMessage> => {
      const commandName = record.command?.name;
      const commandType = record.command?.type;
      return {
        webhook_id: applicationId,
        application_id: applicationId,
        type:
          commandType === ApplicationCommandType.ChatInput
            ? MessageType.ChatInputCommand
            : commandType === ApplicationCommandType.Message || commandType === ApplicationCommandType.User
              ? MessageType.ContextMenuCommand
              : MessageType.Default,
        interaction_metadata: {
          id: record.payload.id,
          type: record.payload.type,
          user,
          authorizing_integration_owners: record.payload.authorizing_integration_owners,
        } as APIMessage['interaction_metadata'],
        ...(commandName
          ? { interaction: { id: record.payload.id, type: record.payload.type, name: commandName, user } }
          : {}),
      };
    };
    let original: APIMessage | undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const error = messageBodyError(data, request.files, true);
        if (error) return error;
        original = createMessage(channelId, botUser, data, request.files, REPLY_FLAGS, replyExtra());
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        // The "is thinking…" placeholder: empty and Loading until the first edit.
        const flags = MessageFlags.Loading | ((data.flags ?? 0) & MessageFlags.Ephemeral);
        original = createMessage(channelId, botUser, { content: '' }, [], 0, { ...replyExtra(), flags });
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        original = record.componentMessageId ? messages.get(record.componentMessageId) : undefined;
        break;
      case InteractionResponseType.UpdateMessage: {
        const error = messageBodyError(data, request.files, false);
        if (error) return error;
        const target = record.componentMessageId ? messages.get(record.componentMessageId) : undefined;
        if (!target) return discordError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
        original = editMessage(target, data, request.files);
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        const problems = choiceProblems(data.choices);
        if (problems.length) return invalidFormBody(problems);
        break;
      }
      case InteractionResponseType.Modal: {
        const problems = [
          ...(typeof data.custom_id === 'string'
            ? tooLong(['data', 'custom_id'], data.custom_id, 100)
            : [{ path: ['data', 'custom_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]),
          ...(typeof data.title === 'string'
            ? tooLong(['data', 'title'], data.title, 45)
            : [{ path: ['data', 'title'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]),
        ];
        if (problems.length) return invalidFormBody(problems);
        break;
      }
      default:
        break;
    }
    record.callbacks.push({ type, ...(isRecord(body.data) ? { data } : {}) });
    if (original) {
      record.originalId = original.id;
      record.history.push(original);
    }
    if (request.query.with_response !== 'true') return NO_CONTENT;
    // What discord.js turns into an InteractionCallbackResponse for `withResponse: true`.
    return ok({
      interaction: {
        id: record.payload.id,
        type: record.payload.type,
        ...(original
          ? {
              response_message_id: original.id,
              response_message_loading: type === InteractionResponseType.DeferredChannelMessageWithSource,
              response_message_ephemeral: Boolean((original.flags ?? 0) & MessageFlags.Ephemeral),
            }
          : {}),
      },
      resource: { type, ...(original ? { message: original } : {}) },
    });
  };

  /** The interaction behind a webhook path, or the error Discord gives for it. */
  const webhookInteraction = (params: Record<string, string>): InteractionRecord | Reply => {
    const record = interactionsByToken.get(params.token ?? '');
    // Before the first callback the interaction's webhook doesn't exist yet.
    if (params.appId !== applicationId || !record || !record.callbacks.length)
      return discordError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
    if (record.expired) return discordError(401, RESTJSONErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token');
    return record;
  };

  const webhookMessage = (record: InteractionRecord, messageId: string | undefined): APIMessage | undefined => {
    const id = messageId === '@original' ? record.originalId : messageId;
    if (!id || (id !== record.originalId && !record.followupIds.includes(id))) return undefined;
    return messages.get(id);
  };

  const recordEdit = (record: InteractionRecord, message: APIMessage): void => {
    if (message.id !== record.originalId) return;
    record.edits += 1;
    record.history.push(message);
  };

  const onFollowup: RouteHandler = (request, params) => {
    const found = webhookInteraction(params);
    if (!('payload' in found)) return found;
    const body = (isRecord(request.body) ? request.body : {}) as MessageBody;
    const error = messageBodyError(body, request.files, true);
    if (error) return error;
    const original = found.originalId ? messages.get(found.originalId) : undefined;
    if (original && (original.flags ?? 0) & MessageFlags.Loading) {
      // Discord: after a deferred reply the first follow-up replaces the "is thinking…" placeholder.
      const edited = editMessage(original, body, request.files);
      edited.flags = (original.flags ?? 0) & ~MessageFlags.Loading;
      recordEdit(found, edited);
      return ok(edited);
    }
    const channelId = found.payload.channel?.id ?? textChannel.id;
    const message = createMessage(channelId, botUser, body, request.files, REPLY_FLAGS, {
      webhook_id: applicationId,
      application_id: applicationId,
    });
    found.followupIds.push(message.id);
    return ok(message);
  };

  const onWebhookMessage =
    (method: 'GET' | 'PATCH' | 'DELETE'): RouteHandler =>
    (request, params) => {
      const found = webhookInteraction(params);
      if (!('payload' in found)) return found;
      const message = webhookMessage(found, params.messageId);
      if (!message) return discordError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
      if (method === 'GET') return ok(message);
      if (method === 'DELETE') {
        messages.delete(message.id);
        return NO_CONTENT;
      }
      const body = (isRecord(request.body) ? request.body : {}) as MessageBody;
      const error = messageBodyError(body, request.files, false);
      if (error) return error;
      const edited = editMessage(message, body, request.files);
      // The first edit of a deferred reply is what ends its "is thinking…" state.
      edited.flags = (edited.flags ?? 0) & ~MessageFlags.Loading;
      recordEdit(found, edited);
      return ok(edited);
    };

  // --- Channels ---------------------------------------------------------------------------------------
  const channelOr404 = (channelId: string | undefined): FakeChannel | Reply =>
    channels.get(channelId ?? '') ?? discordError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');

  /** The bot's access to a channel, as Discord checks it before anything else. */
  const botAccessError = (channel: FakeChannel, needed: bigint): Reply | undefined => {
    const permissions = permissionsIn(channel, botUser.id);
    if (!(permissions & P.ViewChannel)) return discordError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
    if ((permissions & needed) !== needed)
      return discordError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions');
    return undefined;
  };

  const onChannelMessageCreate: RouteHandler = (request, params) => {
    const channel = channelOr404(params.channelId);
    if (!('type' in channel)) return channel;
    // In a thread, Send Messages in Threads is what counts (Send Messages is the parent's); a forum takes posts only.
    const send = isThread(channel) ? P.SendMessagesInThreads : P.SendMessages;
    const accessError = botAccessError(channel, send | (request.files.length ? P.AttachFiles : 0n));
    if (accessError) return accessError;
    if (channel.type === ChannelType.DM && channel.recipients?.some((u) => closedDms.has(u.id)))
      return discordError(403, RESTJSONErrorCodes.CannotSendMessagesToThisUser, 'Cannot send messages to this user');
    if (channel.type === ChannelType.GuildForum)
      return discordError(
        400,
        RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel,
        'Cannot send messages in a non-text channel',
      );
    if (isThread(channel) && channel.thread_metadata?.archived)
      return discordError(400, RESTJSONErrorCodes.InvalidActionOnArchivedThread, 'Thread is archived');
    const body = (isRecord(request.body) ? request.body : {}) as MessageBody;
    const error = messageBodyError(body, request.files, true);
    if (error) return error;
    const nonceKey =
      body.enforce_nonce && body.nonce !== undefined ? `${channel.id}:${botUser.id}:${body.nonce}` : null;
    const earlier = nonceKey ? messages.get(nonces.get(nonceKey) ?? '') : undefined;
    if (earlier) return ok(earlier);
    const created = createMessage(channel.id, botUser, body, request.files, SETTABLE_FLAGS);
    if (nonceKey) nonces.set(nonceKey, created.id);
    return ok(created);
  };

  const onChannelMessages: RouteHandler = (request, params) => {
    const channel = channelOr404(params.channelId);
    if (!('type' in channel)) return channel;
    const accessError = botAccessError(channel, P.ReadMessageHistory);
    if (accessError) return accessError;
    const limit = Math.min(Math.max(Number(request.query.limit ?? 50) || 50, 1), 100);
    const { before, after } = request.query;
    const list = channelMessages(channel.id)
      .filter((m) => !before || BigInt(m.id) < BigInt(before))
      .filter((m) => !after || BigInt(m.id) > BigInt(after));
    return ok(list.slice(0, limit));
  };

  const onChannelMessage =
    (method: 'GET' | 'PATCH' | 'DELETE'): RouteHandler =>
    (request, params) => {
      const channel = channelOr404(params.channelId);
      if (!('type' in channel)) return channel;
      const message = messages.get(params.messageId ?? '');
      if (!message || message.channel_id !== channel.id || (message.flags ?? 0) & MessageFlags.Ephemeral) {
        return discordError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
      }
      if (method === 'GET') return ok(message);
      if (method === 'DELETE') {
        const accessError = message.author.id === botUser.id ? undefined : botAccessError(channel, P.ManageMessages);
        if (accessError) return accessError;
        messages.delete(message.id);
        return NO_CONTENT;
      }
      if (message.author.id !== botUser.id)
        return discordError(
          403,
          RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser,
          'Cannot edit a message authored by another user',
        );
      const body = (isRecord(request.body) ? request.body : {}) as MessageBody;
      const error = messageBodyError(body, request.files, false);
      if (error) return error;
      return ok(editMessage(message, body, request.files));
    };

  // --- Threads and forums -----------------------------------------------------------------------------
  /** A public thread in `parent` (a text channel's, or a forum's post), of the id given (a message's, when started on one). */
  const makeThread = (
    parent: APITextChannel | APIGuildForumChannel,
    id: string,
    name: string,
    archiveAfter: number,
  ) => {
    const thread: APIThreadChannel = {
      id,
      type: ChannelType.PublicThread,
      guild_id: parent.guild_id,
      parent_id: parent.id,
      name,
      owner_id: botUser.id,
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      flags: 0,
      applied_tags: [],
      thread_metadata: {
        archived: false,
        auto_archive_duration: archiveAfter as 60 | 1440 | 4320 | 10080,
        archive_timestamp: now(),
        locked: false,
        create_timestamp: now(),
      },
    } as unknown as APIThreadChannel;
    channels.set(id, thread);
    if (sessions.size) dispatch('THREAD_CREATE', { ...thread, newly_created: true });
    return thread;
  };

  /** Discord's checks on a thread's name and archive duration. */
  const threadBodyError = (body: Record<string, unknown>): Reply | undefined => {
    const name = typeof body.name === 'string' ? body.name : '';
    if (name.trim().length < 1 || name.length > 100)
      return invalidFormBody([
        { path: ['name'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' },
      ]);
    const after = body.auto_archive_duration;
    if (after !== undefined && ![60, 1440, 4320, 10080].includes(Number(after)))
      return invalidFormBody([
        {
          path: ['auto_archive_duration'],
          code: 'BASE_TYPE_CHOICES',
          message: 'Value must be one of {60, 1440, 4320, 10080}.',
        },
      ]);
    return undefined;
  };

  /** POST /channels/{id}/threads: in a forum, a post with its first message (the message has the post's id). */
  const onStartThread: RouteHandler = (request, params) => {
    const channel = channelOr404(params.channelId);
    if (!('type' in channel)) return channel;
    const body = isRecord(request.body) ? request.body : {};
    if (channel.type !== ChannelType.GuildForum) {
      if (channel.type !== ChannelType.GuildText)
        return discordError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Cannot start a thread here');
      const accessError = botAccessError(channel, P.CreatePublicThreads);
      if (accessError) return accessError;
      const problem = threadBodyError(body);
      if (problem) return problem;
      return {
        status: 201,
        body: makeThread(channel, nextId(), String(body.name), Number(body.auto_archive_duration ?? 4320)),
      };
    }
    // Starting a forum post is Send Messages in the forum.
    const accessError = botAccessError(channel, P.SendMessages | (request.files.length ? P.AttachFiles : 0n));
    if (accessError) return accessError;
    const problem = threadBodyError(body);
    if (problem) return problem;
    if (!isRecord(body.message))
      return invalidFormBody([{ path: ['message'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
    const first = body.message as MessageBody;
    const error = messageBodyError(first, request.files, true);
    if (error) return error;
    const id = nextId();
    const thread = makeThread(channel, id, String(body.name), Number(body.auto_archive_duration ?? 4320));
    const message = createMessage(id, botUser, first, request.files, SETTABLE_FLAGS, { id });
    thread.message_count = 1;
    return { status: 201, body: { ...thread, message } };
  };

  /** POST /channels/{id}/messages/{id}/threads: a thread on a message, of the message's id; once per message. */
  const onThreadOnMessage: RouteHandler = (request, params) => {
    const channel = channelOr404(params.channelId);
    if (!('type' in channel)) return channel;
    if (channel.type !== ChannelType.GuildText)
      return discordError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Cannot start a thread here');
    const message = messages.get(params.messageId ?? '');
    if (!message || message.channel_id !== channel.id)
      return discordError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
    const accessError = botAccessError(channel, P.CreatePublicThreads);
    if (accessError) return accessError;
    if (channels.has(message.id))
      return discordError(
        400,
        RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage,
        'A thread has already been created for this message',
      );
    const body = isRecord(request.body) ? request.body : {};
    const problem = threadBodyError(body);
    if (problem) return problem;
    const thread = makeThread(channel, message.id, String(body.name), Number(body.auto_archive_duration ?? 4320));
    messages.set(message.id, { ...message, thread } as APIMessage);
    return { status: 201, body: thread };
  };

  /** PATCH /channels/{id}: a thread archived or reopened (a locked one needs Manage Threads), or renamed. */
  const onChannelEdit: RouteHandler = (request, params) => {
    const channel = channelOr404(params.channelId);
    if (!('type' in channel)) return channel;
    if (!isThread(channel)) return discordError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions');
    const body = isRecord(request.body) ? request.body : {};
    const locked = channel.thread_metadata?.locked ?? false;
    const accessError = botAccessError(channel, locked ? P.ManageThreads : P.SendMessagesInThreads);
    if (accessError) return accessError;
    const edited: APIThreadChannel = {
      ...channel,
      ...(typeof body.name === 'string' ? { name: body.name } : {}),
      thread_metadata: {
        ...channel.thread_metadata!,
        ...(typeof body.archived === 'boolean' ? { archived: body.archived, archive_timestamp: now() } : {}),
      },
    };
    channels.set(channel.id, edited);
    if (sessions.size) dispatch('THREAD_UPDATE', edited);
    return ok(edited);
  };

  /** GET /guilds/{id}/threads/active: the guild's threads not archived. */
  const onActiveThreads: RouteHandler = (_request, params) => {
    const state = guildStates.get(params.guildId ?? '');
    if (!state) return unknownGuild();
    const threads = [...channels.values()].filter(
      (c): c is APIThreadChannel => isThread(c) && c.guild_id === state.guild.id && !c.thread_metadata?.archived,
    );
    return ok({ threads, members: [] });
  };

  // --- REST routing -----------------------------------------------------------------------------------
  const restBase = { value: '' };
  const route = (method: string, path: string, bot: boolean, handle: RouteHandler): Route => ({
    method,
    segments: path.split('/').filter(Boolean),
    bot,
    handle,
  });
  const unknownGuild = (): Reply => discordError(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild');
  const gatewayInfo = (): { url: string } => ({ url: gatewayUrl });
  const guildCreate = ({ guild: { id, name, textChannel: systemChannel, roles: own }, members: in_ }: GuildState) => ({
    id,
    name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: users.moderator.id,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: Locale.EnglishUS,
    system_channel_id: systemChannel.id,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    application_id: null,
    vanity_url_code: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    widget_enabled: false,
    widget_channel_id: null,
    features: [],
    roles: Object.values(own),
    emojis: [],
    stickers: [],
    incidents_data: null,
    hub_type: null,
    joined_at: in_.get(botUser.id)?.joined_at ?? now(),
    large: false,
    unavailable: false,
    member_count: in_.size,
    members: [...in_.values()].map(guildMember),
    channels: [...channels.values()].filter(
      (c) => (c.type === ChannelType.GuildText || c.type === ChannelType.GuildForum) && c.guild_id === id,
    ),
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  });

  const routes: Route[] = [
    route('GET', '/gateway', false, () => ok(gatewayInfo())),
    route('GET', '/gateway/bot', true, () =>
      ok({
        ...gatewayInfo(),
        shards: options.recommendedShards ?? 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      }),
    ),
    route('GET', '/users/@me', true, () => ok(botUser)),
    route('POST', '/users/@me/channels', true, (request) => {
      const recipient = isRecord(request.body) ? usersById.get(String(request.body.recipient_id)) : undefined;
      return recipient
        ? ok(dmChannelWith(recipient))
        : discordError(404, RESTJSONErrorCodes.UnknownUser, 'Unknown User');
    }),
    route('GET', '/users/:userId', true, (_request, params) => {
      const user = usersById.get(params.userId ?? '');
      return user ? ok(user) : discordError(404, RESTJSONErrorCodes.UnknownUser, 'Unknown User');
    }),
    route('GET', '/applications/@me', true, () =>
      ok({
        id: applicationId,
        name: botUser.username,
        icon: null,
        description: '',
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: '0'.repeat(64),
        flags: 0,
        bot: botUser,
      }),
    ),
    route('GET', '/guilds/:guildId', true, (_request, params) => {
      const state = guildStates.get(params.guildId ?? '');
      return state ? ok({ ...guildCreate(state), members: undefined, channels: undefined }) : unknownGuild();
    }),
    route('GET', '/guilds/:guildId/channels', true, (_request, params) => {
      const state = guildStates.get(params.guildId ?? '');
      return state ? ok(guildCreate(state).channels) : unknownGuild();
    }),
    route('GET', '/guilds/:guildId/roles', true, (_request, params) => {
      const state = guildStates.get(params.guildId ?? '');
      return state ? ok(Object.values(state.guild.roles)) : unknownGuild();
    }),
    route('GET', '/guilds/:guildId/members/:userId', true, (_request, params) => {
      const state = guildStates.get(params.guildId ?? '');
      const record = state?.members.get(params.userId ?? '');
      if (!state) return unknownGuild();
      return record ? ok(guildMember(record)) : discordError(404, RESTJSONErrorCodes.UnknownMember, 'Unknown Member');
    }),
    route('GET', '/channels/:channelId', true, (_request, params) => {
      const channel = channelOr404(params.channelId);
      return 'type' in channel ? ok(channel) : channel;
    }),
    route('GET', '/channels/:channelId/messages', true, onChannelMessages),
    route('PATCH', '/channels/:channelId', true, onChannelEdit),
    route('POST', '/channels/:channelId/threads', true, onStartThread),
    route('POST', '/channels/:channelId/messages/:messageId/threads', true, onThreadOnMessage),
    route('GET', '/guilds/:guildId/threads/active', true, onActiveThreads),
    route('POST', '/channels/:channelId/messages', true, onChannelMessageCreate),
    route('GET', '/channels/:channelId/messages/:messageId', true, onChannelMessage('GET')),
    route('PATCH', '/channels/:channelId/messages/:messageId', true, onChannelMessage('PATCH')),
    route('DELETE', '/channels/:channelId/messages/:messageId', true, onChannelMessage('DELETE')),
    route('POST', '/channels/:channelId/typing', true, (_request, params) => {
      const channel = channelOr404(params.channelId);
      return 'type' in channel ? NO_CONTENT : channel;
    }),
    route('POST', '/interactions/:interactionId/:token/callback', false, onCallback),
    route('POST', '/webhooks/:appId/:token', false, onFollowup),
    route('GET', '/webhooks/:appId/:token/messages/:messageId', false, onWebhookMessage('GET')),
    route('PATCH', '/webhooks/:appId/:token/messages/:messageId', false, onWebhookMessage('PATCH')),
    route('DELETE', '/webhooks/:appId/:token/messages/:messageId', false, onWebhookMessage('DELETE')),
    ...['/applications/:appId/commands', '/applications/:appId/guilds/:guildId/commands'].flatMap((base) => [
      route(
        'GET',
        base,
        true,
        (_request, params) => commandScopeError(params) ?? ok(commandStore.get(scopeKey(params.guildId)) ?? []),
      ),
      route('PUT', base, true, putCommands),
      route('POST', base, true, postCommand),
      route('GET', `${base}/:commandId`, true, (_request, params) => {
        const command = commandById(params);
        return (
          commandScopeError(params) ??
          (command
            ? ok(command)
            : discordError(404, RESTJSONErrorCodes.UnknownApplicationCommand, 'Unknown application command'))
        );
      }),
      route('DELETE', `${base}/:commandId`, true, (_request, params) => {
        const scopeError = commandScopeError(params);
        if (scopeError) return scopeError;
        const list = commandStore.get(scopeKey(params.guildId)) ?? [];
        if (!list.some((c) => c.id === params.commandId))
          return discordError(404, RESTJSONErrorCodes.UnknownApplicationCommand, 'Unknown application command');
        commandStore.set(
          scopeKey(params.guildId),
          list.filter((c) => c.id !== params.commandId),
        );
        return NO_CONTENT;
      }),
    ]),
  ];

  /** Literal segments win over parameters, so /users/@me isn't read as /users/:userId. */
  const findRoute = (
    method: string,
    segments: string[],
  ): { route: Route; params: Record<string, string> } | 'wrong-method' | undefined => {
    let pathMatched = false;
    const candidates = routes
      .filter(
        (r) =>
          r.segments.length === segments.length && r.segments.every((s, i) => s.startsWith(':') || s === segments[i]),
      )
      .sort(
        (a, b) =>
          a.segments.filter((s) => s.startsWith(':')).length - b.segments.filter((s) => s.startsWith(':')).length,
      );
    for (const candidate of candidates) {
      pathMatched = true;
      if (candidate.method !== method) continue;
      const params: Record<string, string> = {};
      candidate.segments.forEach((s, i) => {
        if (s.startsWith(':')) params[s.slice(1)] = segments[i] ?? '';
      });
      return { route: candidate, params };
    }
    return pathMatched ? 'wrong-method' : undefined;
  };

  const botAuthorized = (authorization: string | undefined): boolean => {
    if (!authorization?.startsWith('Bot ')) return false;
    const token = authorization.slice('Bot '.length);
    return options.token === undefined ? token.length > 0 : token === options.token;
  };

  const pendingFaults: { matcher: RequestMatcher; response: FaultResponse; remaining: number }[] = [];

  const globalLimit = options.globalLimitPerSecond ?? 50;
  const globalWindow = { startedAt: 0, count: 0 };
  /** Whether a request carrying the bot token goes past Discord's global limit (counted per second, as Discord). */
  const pastGlobalLimit = (request: ParsedRequest, at: number): boolean => {
    if (!request.headers.authorization?.startsWith('Bot ')) return false;
    if (at - globalWindow.startedAt >= 1000) Object.assign(globalWindow, { startedAt: at, count: 0 });
    globalWindow.count += 1;
    return globalWindow.count > globalLimit;
  };

  const respond = (request: ParsedRequest): Reply => {
    const fault = pendingFaults.find((f) => f.remaining > 0 && matches(f.matcher, request.method, request.path));
    if (fault) {
      fault.remaining -= 1;
      return fault.response;
    }
    if (pastGlobalLimit(request, Date.now()))
      return faults.rateLimited(Math.max(0.001, (globalWindow.startedAt + 1000 - Date.now()) / 1000), true);
    const found = findRoute(request.method, request.path.split('/').filter(Boolean));
    if (found === undefined) return discordError(404, 0, '404: Not Found');
    if (found === 'wrong-method') return discordError(405, 0, '405: Method Not Allowed');
    if (found.route.bot && !botAuthorized(request.headers.authorization))
      return discordError(401, 0, '401: Unauthorized');
    return found.route.handle(request, found.params);
  };

  const requests: RecordedRequest[] = [];

  const onHttpRequest = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const at = Date.now();
    const url = new URL(incoming.url ?? '/', restBase.value);
    const method = (incoming.method ?? 'GET').toUpperCase();
    const headers = flattenHeaders(incoming.headers);
    let reply: Reply;
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
      reply = discordError(404, 0, '404: Not Found');
    } else {
      // Route parameters arrive percent-encoded (`%40original`); tests match and read them decoded.
      const path = `/${url.pathname.slice(API_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent).join('/')}`;
      const request: RecordedRequest = {
        method,
        path,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: undefined,
        files: [],
        status: 0,
        at,
      };
      try {
        Object.assign(request, await parseBody(await readBody(incoming), headers['content-type']));
        reply = respond(request);
      } catch (error) {
        if (!(error instanceof BodyError)) throw error;
        reply = discordError(400, RESTJSONErrorCodes.RequestBodyContainsInvalidJSON, error.message);
      }
      request.status = reply.status;
      requests.push(request);
      waitList.notify();
    }
    const payload = reply.body === undefined ? undefined : JSON.stringify(reply.body);
    // No X-RateLimit-* headers: @discordjs/rest then treats every bucket as unlimited and never waits on its
    // own; it waits only on a 429's Retry-After, which is what failNext(…, faults.rateLimited()) injects.
    outgoing.writeHead(reply.status, {
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...reply.headers,
    });
    outgoing.end(payload);
  };

  // --- Gateway ----------------------------------------------------------------------------------------
  const sessions = new Map<string, GatewaySession>();
  const socketSessions = new Map<WebSocket, GatewaySession>();
  const gateway: GatewayEvent[] = [];

  const send = (socket: WebSocket, payload: GatewayPayload): void => {
    const shard = socketSessions.get(socket)?.shard;
    gateway.push({ ...payload, direction: 'sent', at: Date.now(), ...(shard ? { shard } : {}) });
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
    waitList.notify();
  };

  const sendDispatch = (session: GatewaySession, t: string, d: unknown): void => {
    session.seq += 1;
    const payload: GatewayPayload = { op: GatewayOpcodes.Dispatch, t, s: session.seq, d };
    session.dispatched.push(payload);
    // While the connection is down the dispatch waits in the session and is replayed on RESUME.
    if (session.socket) send(session.socket, payload);
  };

  /** The guild a dispatch is about: its `guild_id`, or for a GUILD_* event the guild itself. */
  const eventGuild = (event: string, data: unknown): string | undefined => {
    if (!isRecord(data)) return undefined;
    if (typeof data.guild_id === 'string') return data.guild_id;
    if (event.startsWith('GUILD_') && typeof data.id === 'string' && guildStates.has(data.id)) return data.id;
    return undefined;
  };
  const onShardOf = (session: GatewaySession, inGuild: string): boolean =>
    shardOfGuild(inGuild, session.shard[1]) === session.shard[0];

  /**
   * As Discord: a guild's events go to the session(s) of the shard that guild is on; an interaction from a DM
   * to shard 0; any other event to every session.
   */
  const dispatch = (event: string, data: unknown): void => {
    if (!sessions.size)
      throw new Error(`fake Discord: no gateway session to send ${event} to; log a client in and wait for ready first`);
    const about = eventGuild(event, data);
    const to = [...sessions.values()].filter((session) =>
      about !== undefined ? onShardOf(session, about) : event !== 'INTERACTION_CREATE' || session.shard[0] === 0,
    );
    if (!to.length && event === 'INTERACTION_CREATE') {
      const where = about === undefined ? 'a DM (shard 0)' : `guild ${about}`;
      throw new Error(`fake Discord: no gateway session on the shard of ${where} to send the interaction to`);
    }
    for (const session of to) sendDispatch(session, event, data);
  };

  const tokenAccepted = (token: unknown): boolean =>
    typeof token === 'string' && token.length > 0 && (options.token === undefined || token === options.token);

  const readiness = { withheld: false };
  const identify = (socket: WebSocket, d: Record<string, unknown>): void => {
    if (socketSessions.has(socket))
      return socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
    if (!tokenAccepted(d.token)) return socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    const shard = d.shard ?? [0, 1];
    if (!isShard(shard)) return socket.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
    const owned = guildList.filter((g) => shardOfGuild(g.id, shard[1]) === shard[0]);
    if (owned.length > maxGuildsPerShard) return socket.close(GatewayCloseCodes.ShardingRequired, 'Sharding required.');
    if (readiness.withheld) return undefined;
    const session: GatewaySession = { id: randomBytes(16).toString('hex'), seq: 0, socket, dispatched: [], shard };
    sessions.set(session.id, session);
    socketSessions.set(socket, session);
    sendDispatch(session, 'READY', {
      v: 10,
      user: botUser,
      guilds: owned.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: gatewayUrl,
      shard,
      application: { id: applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      auth: {},
      _trace: ['["fake-discord",{"micros":0}]'],
    });
    // discord.js holds `ready` until every guild READY lists has arrived (or 15 s pass).
    for (const g of owned) sendDispatch(session, 'GUILD_CREATE', guildCreate(guildState(g.id)));
  };

  const resume = (socket: WebSocket, d: Record<string, unknown>): void => {
    if (!tokenAccepted(d.token)) return socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    const session = sessions.get(String(d.session_id));
    const seq = typeof d.seq === 'number' ? d.seq : -1;
    if (!session || seq < 0 || seq > session.seq) return send(socket, { op: GatewayOpcodes.InvalidSession, d: false });
    if (session.socket && session.socket !== socket) session.socket.terminate();
    session.socket = socket;
    socketSessions.set(socket, session);
    for (const payload of session.dispatched) {
      if ((payload.s ?? 0) > seq) send(socket, payload);
    }
    sendDispatch(session, 'RESUMED', { _trace: ['["fake-discord",{"micros":0}]'] });
  };

  const onGatewayMessage = (socket: WebSocket, raw: RawData): void => {
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString());
    } catch {
      return socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
    }
    if (!isRecord(payload) || typeof payload.op !== 'number')
      return socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
    const shard = socketSessions.get(socket)?.shard;
    gateway.push({ op: payload.op, d: payload.d, direction: 'received', at: Date.now(), ...(shard ? { shard } : {}) });
    waitList.notify();
    const d = isRecord(payload.d) ? payload.d : {};
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        return send(socket, { op: GatewayOpcodes.HeartbeatAck, d: null });
      case GatewayOpcodes.Identify:
        return identify(socket, d);
      case GatewayOpcodes.Resume:
        return resume(socket, d);
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers:
        if (!socketSessions.has(socket)) socket.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
        return undefined;
      default:
        return socket.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
    }
  };

  const onGatewayClose = (socket: WebSocket, code: number): void => {
    const session = socketSessions.get(socket);
    socketSessions.delete(socket);
    if (!session || session.socket !== socket) return;
    session.socket = undefined;
    // A client closing with 1000 or 1001 ends its session, as on Discord; any other close leaves it resumable.
    if (code === 1000 || code === 1001) sessions.delete(session.id);
  };

  // --- Start ------------------------------------------------------------------------------------------
  const describeState = (): string => {
    const recent = requests.slice(-8).map((r) => `  ${r.method} ${r.path} → ${r.status}`);
    const live = [...sessions.values()].filter((s) => s.socket).length;
    return [
      `Gateway sessions: ${sessions.size} (${live} connected).`,
      recent.length ? `Last requests:\n${recent.join('\n')}` : 'No REST requests so far.',
    ].join('\n');
  };
  const waitList = createWaitList(describeState);

  const server = createServer((incoming, outgoing) => {
    onHttpRequest(incoming, outgoing).catch((error: unknown) => {
      // A bug in the fake: fail loudly in the test output rather than hang the client.
      console.error('fake Discord failed on', incoming.method, incoming.url, error);
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ message: `fake Discord bug: ${String(error)}`, code: 0 }));
    });
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    socket.on('message', (raw) => onGatewayMessage(socket, raw));
    socket.on('close', (code) => onGatewayClose(socket, code));
    send(socket, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: heartbeatIntervalMs, _trace: ['["fake-discord",{"micros":0}]'] },
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  restBase.value = `http://127.0.0.1:${port}`;
  const gatewayUrl = `ws://127.0.0.1:${port}`;

  return {
    restApi: `${restBase.value}/api`,
    gatewayUrl,
    applicationId,
    botUser,
    guild,
    guilds: guildList,
    users,
    requests,
    gateway,

    slashCommand: (name, commandOptions = [], context = {}) => {
      const resolved = resolvedFor(commandOptions, context);
      const payload = commandInteraction(
        ApplicationCommandType.ChatInput,
        name,
        { options: commandOptions, ...(resolved ? { resolved } : {}) },
        context,
      );
      return startInteraction(payload, `/${name}`, { command: { name, type: ApplicationCommandType.ChatInput } });
    },
    autocomplete: (name, commandOptions, context = {}) => {
      const focused: APIApplicationCommandInteractionDataOption[] = [];
      const walk = (list: APIApplicationCommandInteractionDataOption[]): void => {
        for (const option of list) {
          if ('focused' in option && option.focused) focused.push(option);
          if ('options' in option && option.options) walk(option.options);
        }
      };
      walk(commandOptions);
      if (focused.length !== 1)
        throw new Error(
          `fake Discord: autocomplete needs exactly one option with focused: true; got ${focused.length}`,
        );
      const payload = commandInteraction(
        ApplicationCommandType.ChatInput,
        name,
        { options: commandOptions },
        context,
        InteractionType.ApplicationCommandAutocomplete,
      );
      return startInteraction(payload, `autocomplete /${name}`);
    },
    button: (customId, message, context = {}) =>
      componentInteraction(customId, ComponentType.Button, {}, message, context, `button ${customId}`),
    stringSelect: (customId, values, message, context = {}) =>
      componentInteraction(customId, ComponentType.StringSelect, { values }, message, context, `select ${customId}`),
    messageContextMenu: (name, target, context = {}) => {
      const message = findMessage(target);
      const payload = commandInteraction(
        ApplicationCommandType.Message,
        name,
        {
          target_id: message.id,
          resolved: { messages: { [message.id]: message } },
        },
        { channelId: message.channel_id, ...context },
      );
      return startInteraction(payload, `message command "${name}"`, {
        command: { name, type: ApplicationCommandType.Message },
      });
    },
    dispatch,

    seedMessage: ({ content, channelId = textChannel.id, author = users.member, embeds, components }) => {
      if (!channels.has(channelId)) throw new Error(`fake Discord: no channel ${channelId}`);
      usersById.set(author.id, author);
      // Stored without allowed_mentions, so mentions resolve as they would for a user's message.
      return createMessage(channelId, author, { content, embeds, components }, [], SETTABLE_FLAGS);
    },
    channelMessages,
    message: (id) => messages.get(id),
    deleteChannel: (channelId) => {
      const channel = channels.get(channelId);
      if (!channel) throw new Error(`fake Discord: no channel ${channelId}`);
      channels.delete(channelId);
      if (sessions.size) dispatch('CHANNEL_DELETE', channel);
    },
    expireNonces: () => nonces.clear(),
    closeDms: (userId, closed = true) => {
      if (closed) closedDms.add(userId);
      else closedDms.delete(userId);
    },
    addChannel: ({ name, botDenied, guildId: inGuild = guildId }) => {
      const channel = makeTextChannel(guildState(inGuild).guild.id, name, channels.size, botDenied);
      channels.set(channel.id, channel);
      if (sessions.size) dispatch('CHANNEL_CREATE', channel);
      return channel;
    },
    addForum: ({ name, botDenied, guildId: inGuild = guildId }) => {
      const text = makeTextChannel(guildState(inGuild).guild.id, name, channels.size, botDenied);
      const forum = {
        ...text,
        type: ChannelType.GuildForum,
        available_tags: [],
        default_reaction_emoji: null,
        default_thread_rate_limit_per_user: 0,
        default_sort_order: null,
        default_forum_layout: 0,
        flags: 0,
      } as unknown as APIGuildForumChannel;
      channels.set(forum.id, forum);
      if (sessions.size) dispatch('CHANNEL_CREATE', forum);
      return forum;
    },
    thread: (threadId) => {
      const channel = channels.get(threadId);
      return channel && isThread(channel) ? channel : undefined;
    },
    threadsIn: (parentId) =>
      [...channels.values()]
        .filter((c): c is APIThreadChannel => isThread(c) && c.parent_id === parentId)
        .sort((a, b) => (BigInt(a.id) > BigInt(b.id) ? 1 : -1)),
    archiveThread: (threadId, { quietly = false } = {}) => {
      const channel = channels.get(threadId);
      if (!channel || !isThread(channel)) throw new Error(`fake Discord: no thread ${threadId}`);
      const archived: APIThreadChannel = {
        ...channel,
        thread_metadata: { ...channel.thread_metadata!, archived: true, archive_timestamp: now() },
      };
      channels.set(threadId, archived);
      if (!quietly && sessions.size) dispatch('THREAD_UPDATE', archived);
    },
    addMember: ({ username, roleIds = [], guildId: inGuild = guildId }) => {
      const user = makeUser(username);
      joinGuild(guildState(inGuild), user, roleIds);
      return user;
    },
    commands: (scopeGuildId) => [...(commandStore.get(scopeKey(scopeGuildId)) ?? [])],

    failNext: (matcher, response, times = 1) => {
      pendingFaults.push({ matcher, response, remaining: times });
    },
    waitForRequest: (predicate, timeoutMs = waitTimeoutMs) =>
      waitList.waitFor(() => requests.find(predicate), 'a matching REST request', timeoutMs),
    waitForGateway: (predicate, timeoutMs = waitTimeoutMs) =>
      waitList.waitFor(() => gateway.find(predicate), 'a matching gateway payload', timeoutMs),

    dropConnection: ({ closeCode = GatewayCloseCodes.UnknownError, abrupt = false } = {}) => {
      for (const session of sessions.values()) {
        const socket = session.socket;
        if (!socket) continue;
        // Detach first: dispatches from now on wait for the RESUME rather than go to a closing socket.
        session.socket = undefined;
        if (abrupt) socket.terminate();
        else socket.close(closeCode, 'fake Discord dropped the connection');
      }
    },
    invalidateSession: (resumable = false) => {
      for (const session of sessions.values()) {
        if (!session.socket) continue;
        send(session.socket, { op: GatewayOpcodes.InvalidSession, d: resumable });
        if (!resumable) sessions.delete(session.id);
      }
    },
    requestReconnect: () => {
      for (const session of sessions.values()) {
        if (session.socket) send(session.socket, { op: GatewayOpcodes.Reconnect, d: null });
      }
    },
    withholdReady: (hold = true) => {
      readiness.withheld = hold;
    },
    openGatewaySockets: () => [...wss.clients].filter((socket) => socket.readyState === socket.OPEN).length,
    close: async () => {
      waitList.rejectAll(new Error('fake Discord closed'));
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
