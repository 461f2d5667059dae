import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Telegraf } from 'telegraf';
import { FakeTelegram, type FakeUser } from './index';
import { waitUntil } from './wait-until';

const alice: FakeUser = { id: 5101, first_name: 'Alice' };
const bob: FakeUser = { id: 5102, first_name: 'Bob' };

async function readJson(request: IncomingMessage): Promise<{ message: { text: string } }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message: { text: string } };
}

describe('fake Telegram: webhook with several connections (webhookMaxConnections)', () => {
  let server: Server;
  let fake: FakeTelegram;
  const arrived: string[] = [];
  let releaseFirst: () => void = () => undefined;

  beforeAll(async () => {
    const held = new Promise<void>((resolve) => (releaseFirst = resolve));
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      void readJson(request).then(async (update) => {
        arrived.push(update.message.text);
        if (update.message.text === 'alice 1') await held; // a slow answer for Alice's first
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    fake = await FakeTelegram.start({
      webhookMaxConnections: 4,
      rewriteWebhookUrl: () => `http://127.0.0.1:${port}/hook`,
    });
    const { telegram } = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    await telegram.setWebhook('https://bot.example.test/hook');
  });

  afterAll(async () => {
    releaseFirst();
    await fake.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("delivers other chats while one chat's update is slow, and each chat in order", async () => {
    fake.sendText(alice, 'alice 1');
    fake.sendText(alice, 'alice 2');
    fake.sendText(bob, 'bob 1');
    fake.sendText(bob, 'bob 2');
    await waitUntil(
      () => (arrived.includes('bob 2') ? true : undefined),
      5000,
      () => `bob's updates to arrive; arrived: ${JSON.stringify(arrived)}`,
    );
    expect(arrived).not.toContain('alice 2'); // waits behind Alice's first
    releaseFirst();
    await fake.waitForWebhookIdle();
    expect(arrived.filter((text) => text.startsWith('alice'))).toEqual(['alice 1', 'alice 2']);
    expect(arrived.filter((text) => text.startsWith('bob'))).toEqual(['bob 1', 'bob 2']);
    expect(fake.webhookDeliveries().every((delivery) => delivery.state === 'delivered')).toBe(true);
  });
});
