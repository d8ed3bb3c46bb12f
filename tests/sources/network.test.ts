// The network policy: https only, to the hosts a source names, never to this
// machine or a private network, checked on every redirect hop and after name
// resolution on the addresses the connection then uses. Servers run on
// 127.0.0.1 only; made-up names (*.example.test) resolve through a resolver
// the test gives, never through DNS.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedHosts } from '../../src/ingest/sync.js';
import { fetchFollowing, hopProblem } from '../../src/sources/http.js';
import { fetchNapoNews, NapoFeedError } from '../../src/sources/napo.js';
import {
  checkedLookup,
  guardedFetch,
  hostAllowed,
  INTERNET,
  internetPolicy,
  type NetworkPolicy,
  NetworkRefused,
  nonPublicAddress,
  type ResolvedAddress,
  shownUrl,
  withLocalSite,
} from '../../src/sources/network.js';
import { fetchPetition } from '../../src/sources/petition.js';
import { TEST_NETWORK } from './testNetwork.js';

/** A server on 127.0.0.1 that answers with `handle` and records the Host header of every request. */
async function server(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const hosts: string[] = [];
  const s = createServer((req, res) => {
    hosts.push(req.headers.host ?? '');
    handle(req, res);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    hosts,
    close: async () => {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    },
  };
}
type TestServer = Awaited<ReturnType<typeof server>>;

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>Fake Union</title></channel></rss>';
const feedOk = (_req: IncomingMessage, res: ServerResponse) =>
  res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED);

/** A resolver for made-up names: each maps to the addresses given, and every call is counted. */
function fakeResolver(names: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    asked.push(hostname);
    const addresses = names[hostname];
    if (!addresses) throw Object.assign(new Error(`${hostname} is not a made-up name`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, asked };
}

async function napoFailure(url: string, network: NetworkPolicy): Promise<NapoFeedError> {
  const error = await fetchNapoNews(url, { network, timeoutMs: 2_000 }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NapoFeedError);
  return error as NapoFeedError;
}

describe('the petition site the operator named on this machine (PETITION_SITE_URL=http://127.0.0.1:PORT)', () => {
  it('is read, and nothing else on this machine: not another port, not a redirect away, not a name', async () => {
    const other = await server(feedOk);
    const site = await server((req, res) => {
      if (req.url === '/petitions/900041.json') res.writeHead(302, { location: `${other.url}/elsewhere.json` }).end();
      else res.writeHead(404).end();
    });
    try {
      const policy = withLocalSite(site.url);
      expect(policy.refuse(new URL(`${site.url}/petitions/1.json`))).toBeNull();
      expect(policy.refuse(new URL(`${other.url}/petitions/1.json`))).toBe('the bot contacts https addresses only');
      expect(policy.refuse(new URL(`https://127.0.0.1:${other.port}/`))).toBe(
        '127.0.0.1 is a loopback address (this machine)',
      );
      await expect(fetchPetition(900041, { network: policy, baseUrl: site.url, retries: 0 })).rejects.toThrow(
        /redirect/i,
      );
      expect(other.hosts).toEqual([]);
      // Only an address written as digits is trusted: a name, or a public mirror, keeps the production policy.
      expect(withLocalSite('http://localhost:8080')).toBe(INTERNET);
      expect(withLocalSite('https://petitions.mirror.example')).toBe(INTERNET);
      // Nor does an address of another kind (a private network, a public one) or a loopback one over another protocol.
      expect(withLocalSite('http://10.0.0.7:8080')).toBe(INTERNET);
      expect(withLocalSite('https://8.8.8.8')).toBe(INTERNET);
      expect(withLocalSite(`ftp://127.0.0.1:${site.port}`)).toBe(INTERNET);
      // Over https too (a local mirror with its own certificate): that origin only.
      const https = withLocalSite('https://127.0.0.1:8443');
      expect(https.refuse(new URL('https://127.0.0.1:8443/petitions/1.json'))).toBeNull();
      expect(https.refuse(new URL('https://127.0.0.1:8444/petitions/1.json'))).not.toBeNull();
    } finally {
      await other.close();
      await site.close();
    }
  });
});

describe('which addresses are public', () => {
  it.each([
    ['127.0.0.1', 'a loopback address (this machine)'],
    ['127.8.9.10', 'a loopback address (this machine)'],
    ['::1', 'a loopback address (this machine)'],
    ['10.1.2.3', 'a private-network address'],
    ['172.16.0.1', 'a private-network address'],
    ['172.31.255.254', 'a private-network address'],
    ['192.168.1.1', 'a private-network address'],
    ['fc00::1', 'a private-network address'],
    ['fd12:3456::1', 'a private-network address'],
    ['169.254.169.254', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
    ['100.127.255.254', 'a shared (carrier-grade NAT) address'],
    ['0.0.0.0', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['::ffff:127.0.0.1', 'a loopback address (this machine)'],
    ['::ffff:10.0.0.1', 'a private-network address'],
    ['::ffff:a9fe:a9fe', 'a link-local address'],
    ['224.0.0.1', 'a special-purpose address (multicast)'],
    ['192.0.2.10', 'a special-purpose address (reserved)'],
  ])('refuses %s: %s', (address, kind) => {
    expect(nonPublicAddress(address)).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '151.101.1.140',
    '100.63.255.255',
    '100.128.0.1',
    '172.32.0.1',
    '::ffff:8.8.8.8',
    '2a00:1450:4009:81f::2004',
  ])('allows the public address %s', (address) => {
    expect(nonPublicAddress(address)).toBeNull();
  });
});

describe('each hop, checked before it is asked', () => {
  const blog = feedHosts('https://probationmatters.blogspot.com', ['https://www.onprobation.example']);

  it('lets a blog feed move within Blogger and to the configured blogs, over https', () => {
    for (const to of [
      'https://probationmatters.blogspot.com/feeds/posts/default',
      'https://probationmatters2.blogspot.com/feeds/posts/default',
      'https://www.blogger.com/feeds/1234/posts/default',
      'https://www.onprobation.example/feeds/posts/default',
    ])
      expect(hopProblem(new URL(to), 1, INTERNET, blog), to).toBeNull();
  });

  it('refuses a redirect from https to http, saying where it tried to go', () => {
    expect(hopProblem(new URL('http://probationmatters.blogspot.com/feeds/posts/default'), 1, INTERNET, blog)).toBe(
      'redirected to http://probationmatters.blogspot.com/feeds/posts/default: not followed (the bot contacts https addresses only)',
    );
  });

  it('refuses a configured address that is not https before asking it', () => {
    expect(hopProblem(new URL('http://probationmatters.blogspot.com/feeds/posts/default'), 0, INTERNET, blog)).toBe(
      'is not contacted: the bot contacts https addresses only',
    );
  });

  it('refuses a redirect to a host the source has no business on', () => {
    for (const to of [
      'https://evil.example/feeds/posts/default',
      'https://blogspot.com.evil.example/feed',
      'https://evilblogspot.com/feed',
      'https://probationmatters.blogspot.com:8443/feed',
      'https://napo.example/feed',
    ])
      expect(hopProblem(new URL(to), 1, INTERNET, blog), to).toBe(
        `redirected to another site (${new URL(to).host}): not followed`,
      );
  });

  it('refuses an address written as digits on this machine or a private network, even on an allowed host', () => {
    const hosts = ['127.0.0.1', '[::1]', '10.0.0.7', '[::ffff:7f00:1]', '169.254.169.254'];
    expect(hopProblem(new URL('https://127.0.0.1/feed'), 1, INTERNET, hosts)).toBe(
      'redirected to https://127.0.0.1/feed: not followed (127.0.0.1 is a loopback address (this machine))',
    );
    expect(hopProblem(new URL('https://[::1]/feed'), 1, INTERNET, hosts)).toMatch(/::1 is a loopback address/);
    expect(hopProblem(new URL('https://10.0.0.7/feed'), 1, INTERNET, hosts)).toMatch(/private-network address/);
    expect(hopProblem(new URL('https://[::ffff:127.0.0.1]/feed'), 1, INTERNET, hosts)).toMatch(/loopback address/);
    expect(hopProblem(new URL('https://169.254.169.254/latest/meta-data'), 1, INTERNET, hosts)).toMatch(
      /169\.254\.169\.254 is a link-local address/,
    );
  });

  it('never follows a redirect to another kind of address', () => {
    expect(hopProblem(new URL('file:///etc/passwd'), 1, INTERNET, blog)).toBe(
      'redirected to a file: address: not followed',
    );
  });

  it('matches a wildcard only under the name, on the default port', () => {
    expect(hostAllowed(new URL('https://a.blogspot.com/'), ['*.blogspot.com'])).toBe(true);
    expect(hostAllowed(new URL('https://blogspot.com/'), ['*.blogspot.com'])).toBe(false);
    expect(hostAllowed(new URL('https://a.blogspot.com.evil.example/'), ['*.blogspot.com'])).toBe(false);
    expect(hostAllowed(new URL('https://a.blogspot.com:444/'), ['*.blogspot.com'])).toBe(false);
  });

  it('the test network allows http://127.0.0.1 and nothing else', () => {
    expect(TEST_NETWORK.refuse(new URL('http://127.0.0.1:8080/feed'))).toBeNull();
    for (const other of ['https://127.0.0.1/', 'http://localhost/', 'http://127.0.0.2/', 'http://[::1]/'])
      expect(TEST_NETWORK.refuse(new URL(other)), other).not.toBeNull();
    // Production allows none of it.
    expect(INTERNET.refuse(new URL('http://127.0.0.1:8080/feed'))).not.toBeNull();
  });
});

describe('names checked after they are resolved, on the addresses connected to', () => {
  it('hands the connection exactly the addresses it checked', async () => {
    const { resolve } = fakeResolver({ 'napo.example.test': ['203.0.114.9', '8.8.8.8', '2a00:1450::1'] });
    const lookup = checkedLookup(resolve, nonPublicAddress);
    const all = await new Promise((ok, fail) =>
      lookup('napo.example.test', { all: true }, (e, addresses) => (e ? fail(e) : ok(addresses))),
    );
    expect(all).toEqual([
      { address: '203.0.114.9', family: 4 },
      { address: '8.8.8.8', family: 4 },
      { address: '2a00:1450::1', family: 6 },
    ]);
    const v6 = await new Promise((ok, fail) =>
      lookup('napo.example.test', { family: 6 }, (e, address, family) => (e ? fail(e) : ok([address, family]))),
    );
    expect(v6).toEqual(['2a00:1450::1', 6]);
  });

  it('refuses a name when any of its addresses is private (a connection may try any of them)', async () => {
    const { resolve } = fakeResolver({ 'napo.example.test': ['8.8.8.8', '10.0.0.5'] });
    const lookup = checkedLookup(resolve, nonPublicAddress);
    const error = await new Promise((ok) => lookup('napo.example.test', { all: true }, (e) => ok(e)));
    expect(error).toBeInstanceOf(NetworkRefused);
    expect((error as Error).message).toBe('napo.example.test resolves to 10.0.0.5, a private-network address');
  });

  it('connects where the checked lookup says, resolving the name once: nothing else resolves it', async () => {
    const feed = await server(feedOk);
    try {
      const { resolve, asked } = fakeResolver({ 'napo.example.test': ['127.0.0.1'] });
      // Production's transport with every address allowed: the made-up name reaches the server on 127.0.0.1.
      const fetch = guardedFetch({ resolve, addresses: () => null });
      const response = await fetch(`http://napo.example.test:${feed.port}/feed`);
      expect(await response.text()).toBe(FEED);
      expect(feed.hosts).toEqual([`napo.example.test:${feed.port}`]);
      expect(asked).toEqual(['napo.example.test']);
    } finally {
      await feed.close();
    }
  });

  it('refuses under the production policy a feed whose name resolves to this machine, without connecting', async () => {
    const { resolve, asked } = fakeResolver({ 'napo.example.test': ['127.0.0.1'] });
    const error = await napoFailure('https://napo.example.test/feed', internetPolicy({ resolve }));
    expect(error.problem).toBe('refused');
    expect(error.message).toBe(
      'Napo feed https://napo.example.test/feed is not contacted: napo.example.test resolves to 127.0.0.1, a loopback address (this machine)',
    );
    expect(asked).toEqual(['napo.example.test']);
  });

  it('refuses a redirect to a name that resolves to this machine, by the production address rule', async () => {
    const { resolve } = fakeResolver({ 'internal.example.test': ['127.0.0.1'] });
    const target = await server(feedOk);
    const start = await server((_req, res) =>
      res.writeHead(302, { location: `http://internal.example.test:${target.port}/feed` }).end(),
    );
    try {
      // Only https is relaxed (no certificate here): the first hop is 127.0.0.1 written as digits, never looked up.
      const network: NetworkPolicy = {
        refuse: (url) => (url.protocol === 'http:' ? null : 'http only here'),
        fetch: guardedFetch({ resolve, addresses: nonPublicAddress }),
      };
      const error = await fetchFollowing(
        `${start.url}/feed`,
        {},
        { network, hosts: [`127.0.0.1:${start.port}`, `internal.example.test:${target.port}`] },
      ).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NetworkRefused);
      expect((error as Error).message).toBe(
        `redirected to http://internal.example.test:${target.port}/feed: not followed (internal.example.test resolves to 127.0.0.1, a loopback address (this machine))`,
      );
      expect(start.hosts).toHaveLength(1);
      expect(target.hosts).toEqual([]);
    } finally {
      await start.close();
      await target.close();
    }
  });
});

describe('redirects end to end, from a server on 127.0.0.1', () => {
  let start: TestServer;
  let other: TestServer;
  beforeAll(async () => {
    other = await server(feedOk);
    start = await server((req, res) => {
      const to =
        req.url === '/to-other-port'
          ? `${other.url}/feed`
          : req.url === '/to-https'
            ? `https://127.0.0.1:${start.port}/feed`
            : req.url === '/first-hop'
              ? '/second-hop'
              : req.url === '/second-hop'
                ? `${other.url}/feed`
                : null;
      if (to) res.writeHead(301, { location: to }).end();
      else feedOk(req, res);
    });
  });
  afterAll(async () => {
    await start.close();
    await other.close();
  });

  it('refuses a feed redirected to another port, and never asks it', async () => {
    const error = await napoFailure(`${start.url}/to-other-port`, TEST_NETWORK);
    expect(error.message).toBe(
      `Napo feed ${start.url}/to-other-port redirected to another site (127.0.0.1:${other.port}): not followed`,
    );
    expect(other.hosts).toEqual([]);
  });

  it('checks every hop: a first redirect within the site, then one off it, is refused at the second', async () => {
    const error = await napoFailure(`${start.url}/first-hop`, TEST_NETWORK);
    expect(error.message).toBe(
      `Napo feed ${start.url}/first-hop redirected to another site (127.0.0.1:${other.port}): not followed`,
    );
    expect(start.hosts.length).toBeGreaterThanOrEqual(2);
    expect(other.hosts).toEqual([]);
  });

  it('refuses a redirect to another scheme on the same host (the test network is http only, as production is https only)', async () => {
    const error = await napoFailure(`${start.url}/to-https`, TEST_NETWORK);
    expect(error.message).toBe(
      `Napo feed ${start.url}/to-https redirected to https://127.0.0.1:${start.port}/feed: not followed (tests contact http://127.0.0.1 only)`,
    );
  });

  it('refuses a petition redirected off its site', async () => {
    const petitions = await server((_req, res) =>
      res.writeHead(302, { location: `http://localhost:${other.port}/petitions/1.json` }).end(),
    );
    try {
      const error = await fetchPetition(1, { network: TEST_NETWORK, baseUrl: petitions.url, retries: 0 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as Error).message).toBe(
        `petition 1: ${petitions.url}/petitions/1.json redirected to another site (localhost:${other.port}): not followed`,
      );
      expect(other.hosts).toEqual([]);
    } finally {
      await petitions.close();
    }
  });

  it('still follows a redirect within the same site', async () => {
    const moved = await server((req, res) =>
      req.url === '/old' ? res.writeHead(301, { location: '/new' }).end() : feedOk(req, res),
    );
    try {
      const { response, url } = await fetchFollowing(
        `${moved.url}/old`,
        {},
        { network: TEST_NETWORK, hosts: [`127.0.0.1:${moved.port}`] },
      );
      expect(await response.text()).toBe(FEED);
      expect(url).toBe(`${moved.url}/new`);
    } finally {
      await moved.close();
    }
  });
});

describe('the checked lookup, with a resolver the test gives', () => {
  type Answer = { error: NodeJS.ErrnoException | null; address: unknown; family?: number };
  const lookUp = (resolve: () => Promise<ResolvedAddress[]>, options: { family?: number; all?: boolean } = {}) =>
    new Promise<Answer>((done) => {
      const lookup = checkedLookup(resolve, nonPublicAddress) as unknown as (
        host: string,
        options: object,
        callback: (error: NodeJS.ErrnoException | null, address: unknown, family?: number) => void,
      ) => void;
      lookup('feeds.example', options, (error, address, family) => done({ error, address, family }));
    });
  const both: ResolvedAddress[] = [
    { address: '2001:4860:4860::8888', family: 6 },
    { address: '8.8.8.8', family: 4 },
  ];

  it('hands over the address of the family asked for, or every one when all are asked', async () => {
    expect(await lookUp(async () => both, { family: 4 })).toEqual({ error: null, address: '8.8.8.8', family: 4 });
    expect(await lookUp(async () => both, { family: 6 })).toMatchObject({ address: '2001:4860:4860::8888' });
    expect(await lookUp(async () => both)).toMatchObject({ address: '2001:4860:4860::8888', family: 6 });
    expect(await lookUp(async () => both, { all: true })).toMatchObject({ error: null, address: both });
  });

  it('says a name with no address of that family is not found, and passes the resolver’s own failure on', async () => {
    const none = await lookUp(async () => [{ address: '8.8.8.8', family: 4 }], { family: 6 });
    expect(none.error).toMatchObject({ message: 'feeds.example has no address', code: 'ENOTFOUND' });
    expect(none.address).toBe('');
    const failure = Object.assign(new Error('getaddrinfo EAI_AGAIN feeds.example'), { code: 'EAI_AGAIN' });
    const failed = await lookUp(async () => Promise.reject(failure));
    expect(failed).toEqual({ error: failure, address: '', family: 0 });
  });

  it('refuses the whole name when one of its addresses is not public, naming the address and its kind', async () => {
    const refused = await lookUp(async () => [...both, { address: '10.0.0.7', family: 4 }]);
    expect(refused.error).toBeInstanceOf(NetworkRefused);
    expect(refused.error).toMatchObject({ name: 'NetworkRefused' });
    expect(refused.error!.message).toMatch(/^feeds\.example resolves to 10\.0\.0\.7, /);
    expect(refused.address).toBe('');
  });

  it('calls what is not an address at all not an IP address, and shows a long address cut at 100 characters', () => {
    expect(nonPublicAddress('feeds.example')).toBe('not an IP address');
    const long = new URL(`https://feeds.example/${'a'.repeat(200)}?token=secret#part`);
    expect(shownUrl(long)).toBe(`https://feeds.example/${'a'.repeat(77)}…`);
    expect(shownUrl(new URL('https://feeds.example/feed?token=secret'))).toBe('https://feeds.example/feed');
    // Exactly 100 characters: shown whole; one more, cut.
    const hundred = `https://feeds.example/${'b'.repeat(78)}`;
    expect(hundred).toHaveLength(100);
    expect(shownUrl(new URL(hundred))).toBe(hundred);
    expect(shownUrl(new URL(`${hundred}c`))).toBe(`${hundred.slice(0, 99)}…`);
  });
});
