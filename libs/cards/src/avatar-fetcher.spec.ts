import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '@ttfd/config';
import { AvatarFetcher, MAX_AVATAR_BYTES } from './avatar-fetcher';

/** A local HTTP server: the fetcher's limits against real sockets, no network. */
describe('AvatarFetcher', () => {
  let server: Server;
  let base: string;
  const fetcher = new AvatarFetcher({ env: { PLATFORM_CALL_TIMEOUT_MS: 300 } } as AppConfig);

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok.png') {
        res.end(Buffer.from('picture'));
      } else if (req.url === '/huge-declared.png') {
        res.setHeader('content-length', String(MAX_AVATAR_BYTES + 1));
        res.flushHeaders();
        res.destroy();
      } else if (req.url === '/huge-streamed.png') {
        const chunk = Buffer.alloc(256 * 1024);
        for (let i = 0; i < 9; i++) res.write(chunk);
        res.end();
      } else if (req.url === '/hang.png') {
        // never answers: the timeout must end it
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('returns the bytes', async () => {
    expect(await fetcher.download(`${base}/ok.png`, 'ok')).toEqual(Buffer.from('picture'));
  });

  it('gives up (null) on 404, on too many bytes, and after the timeout', async () => {
    expect(await fetcher.download(`${base}/missing.png`, 'missing')).toBeNull();
    expect(await fetcher.download(`${base}/huge-declared.png`, 'declared')).toBeNull();
    expect(await fetcher.download(`${base}/huge-streamed.png`, 'streamed')).toBeNull();
    const started = Date.now();
    expect(await fetcher.download(`${base}/hang.png`, 'hang')).toBeNull();
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('never throws on an unreachable host', async () => {
    expect(await fetcher.download('http://127.0.0.1:1/x.png', 'closed')).toBeNull();
  });
});
