// zod/mini, the one way the bot checks outside data (the configuration, the petition's JSON): the same checks as
// zod's classic API without its ~700 KB of every locale and JSON-schema tooling, which took ~55 ms of every start
// to load. It loads no language by itself: English here, once, for the messages that name a bad field.
import { en } from 'zod/locales';
import * as z from 'zod/mini';

z.config(en());

export { z };

/** A string, spaces around it trimmed. */
export const trimmed = () => z.string().check(z.trim());
