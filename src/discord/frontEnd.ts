// The Discord front end as main wires it, in one module main loads by import() only when a token is given:
// discord.js takes ~300 ms to load, which the console (no token) never needs.
export { loginRefused, startBot } from './bot.js';
export { reconcileAtStart } from './deploy.js';
export { gatewayProblem } from './gateway.js';
export { channelPoster } from './poster.js';
export { followManager, runShards, shardOfThisProcess } from './shards.js';
