// `node agent.cjs metrics`: the site metrics printed once (for cron into node_exporter's
// textfile folder), or served at /metrics for a scraper with `--listen HOST:PORT`.
import { createServer, type Server } from 'node:http';
import type { RedisConfig } from './agent-config';
import { BadInputError } from './errors';
import type { ListenAddress } from './metrics-listen-address';
import { siteMetricsText } from './metrics';
import { openRegistryReader, type RegistryReader } from './redis-registry';

export async function runMetricsCommand(options: {
  redis: RedisConfig | undefined;
  listen: ListenAddress | undefined;
  write: (text: string) => void;
  log: (line: string) => void;
}): Promise<number> {
  const { redis, listen, write, log } = options;
  if (!redis || (!redis.url && !redis.sentinels))
    throw new BadInputError(
      'redis',
      '(not configured)',
      'metrics read the site registry: give `redis` in ~/.porthole/agent.json (an admin’s read-only Redis user, see README) ' +
        'or PORTHOLE_REDIS_URL',
    );
  const reader = await openRegistryReader(redis);
  if (!listen) {
    try {
      write((await siteMetricsText(await reader.read())).text);
      return 0;
    } finally {
      reader.close();
    }
  }
  const server = serveMetrics(reader, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, resolve);
  });
  log(
    `serving the site metrics of ${reader.where} at http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}/metrics`,
  );
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
  });
  // A scraper keeps its connection open between scrapes: close it too, or the process stays.
  server.closeAllConnections();
  server.close();
  reader.close();
  return 0;
}

/** Each scrape reads the registry afresh; a failed read is a 503, which Prometheus records as `up` 0. */
function serveMetrics(reader: RegistryReader, log: (line: string) => void): Server {
  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://metrics').pathname;
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
      return;
    }
    reader
      .read()
      .then(siteMetricsText)
      .then(
        ({ text, contentType }) => response.writeHead(200, { 'content-type': contentType }).end(text),
        (error: Error) => {
          log(error.message);
          response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end(`${error.message}\n`);
        },
      );
  });
}
