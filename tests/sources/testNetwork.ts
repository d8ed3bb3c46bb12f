// The network as tests see it: http://127.0.0.1 and nothing else, through the
// same transport as production (its own connection pool, every name checked
// after lookup), so tests of the live sources exercise what the bot runs.
import { guardedFetch, type NetworkPolicy, transport } from '../../src/sources/network.js';

const ONLY = 'tests contact http://127.0.0.1 only';

export const TEST_NETWORK: NetworkPolicy = {
  refuse: (url) => (url.protocol === 'http:' && url.hostname === '127.0.0.1' ? null : ONLY),
  // No name passes `refuse`, so no lookup happens; were one made, only 127.0.0.1 would do.
  ...transport(guardedFetch({ addresses: (address) => (address === '127.0.0.1' ? null : `not 127.0.0.1 (${ONLY})`) })),
};
