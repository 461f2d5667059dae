/**
 * Telegram `/profile` sends the rank card as a photo (sendPhoto through the rate-limited sender)
 * with the profile text as its caption, against the fake Bot API: the user's profile photo comes
 * from getUserProfilePhotos + getFile + the file download, a repeat is served from the cache, a
 * change of XP draws a new card, and a Bot API that refuses the photo leaves the text profile.
 */
import { createCanvas } from '@napi-rs/canvas';
import { CardRenderer, TELEGRAM_CAPTION_LIMIT } from '@ttfd/cards';
import { LedgerService } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { FakeTelegram, type FakeUser, type SentPhoto } from '../fakes/telegram';
import { LogCapture, TestApp, waitFor } from '../support/test-app';
import { startBotApp } from './bot-app';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const isPng = (bytes: Buffer | Uint8Array) =>
  Buffer.from(bytes).subarray(0, 8).equals(PNG_SIGNATURE);

const vera: FakeUser = { id: 9101, first_name: 'Вера', last_name: 'Соколова', language_code: 'ru' };
const tom: FakeUser = { id: 9102, first_name: 'Tom', language_code: 'en' };

async function photoBytes(): Promise<Buffer> {
  const canvas = createCanvas(160, 160);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#2f9e6e';
  ctx.fillRect(0, 0, 160, 160);
  return canvas.encode('png');
}

describe('Telegram rank card', () => {
  let fake: FakeTelegram;
  let app: TestApp;
  let renderer: CardRenderer;
  const logs = new LogCapture();
  let seq = 0;

  beforeAll(async () => {
    fake = await FakeTelegram.start({ acceptUploads: true });
    app = await startBotApp(fake, { logs });
    renderer = app.app.get(CardRenderer);
  });

  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });

  async function award(user: FakeUser, xp: number): Promise<void> {
    const { accountId } = await app.app
      .get(IdentityService)
      .resolve('telegram', String(user.id), {});
    await app.app.get(LedgerService).adjust({
      accountId,
      xp,
      coins: 7,
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: `admin:tg-card-${++seq}`,
    });
  }

  /** Sends /profile and waits for the photo it brings. */
  async function profilePhoto(user: FakeUser): Promise<SentPhoto> {
    const count = fake.photos(user.id).length;
    fake.sendText(user, '/profile');
    return waitFor(() => fake.photos(user.id)[count], { what: `a photo to ${user.id}` });
  }

  it('sends the card with the Russian profile as caption, drawn with the profile photo', async () => {
    const unique = fake.setProfilePhoto(vera.id, await photoBytes());
    await award(vera, 1_200);
    const before = renderer.renders;

    const photo = await profilePhoto(vera);

    expect(isPng(photo.bytes)).toBe(true);
    expect(photo.filename).toMatch(/^rank-[0-9a-f]{16}\.png$/);
    expect(photo.caption).toContain('Вера Соколова');
    expect(photo.caption).toContain('Ранг: Ученик (2/20)');
    expect(photo.caption).toContain('XP: 1200');
    expect(photo.caption!.length).toBeLessThanOrEqual(TELEGRAM_CAPTION_LIMIT);
    expect(renderer.renders).toBe(before + 1);
    // The 320 px size: the smallest at least as wide as the card draws the avatar.
    expect(fake.calls('getFile').at(-1)?.params.file_id).toMatch(/^photo-9101-\d+-1$/);
    expect(fake.fileDownloads()).toContainEqual(expect.stringContaining('_320.jpg'));
    expect(unique).toBeTruthy();
    // The download URL carries the token: it must never reach a log line.
    expect(JSON.stringify(logs.lines)).not.toContain(fake.token);
    // Only the photo answered: the text is its caption (a rank-up notice may be there).
    expect(fake.messages(vera.id).filter((m) => m.text.startsWith('👤'))).toEqual([]);
  });

  it('sends an English card with initials to a user without a photo', async () => {
    await award(tom, 300);
    const downloads = fake.fileDownloads().length;
    const photo = await profilePhoto(tom);
    expect(isPng(photo.bytes)).toBe(true);
    expect(photo.caption).toContain('Rank: Rookie (1/20)');
    expect(photo.caption).toContain('Coins: 7');
    expect(fake.fileDownloads()).toHaveLength(downloads);
  });

  it('a repeat without change is served from the cache', async () => {
    const first = await profilePhoto(vera);
    const renders = renderer.renders;
    const downloads = fake.fileDownloads().length;
    const again = await profilePhoto(vera);
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect(again.filename).toBe(first.filename);
    expect(renderer.renders).toBe(renders);
    expect(fake.fileDownloads()).toHaveLength(downloads);
  });

  it('a change of XP changes the card', async () => {
    const before = await profilePhoto(tom);
    const renders = renderer.renders;
    await award(tom, 900);
    const after = await profilePhoto(tom);
    expect(after.filename).not.toBe(before.filename);
    expect(Buffer.from(after.bytes).equals(Buffer.from(before.bytes))).toBe(false);
    expect(after.caption).toContain('Rank: Apprentice (2/20)');
    expect(renderer.renders).toBe(renders + 1);
  });

  it('when the Bot API refuses the photo, the text profile answers', async () => {
    fake.failNext('sendPhoto', {
      error_code: 400,
      description: 'Bad Request: not enough rights to send photos to the chat',
    });
    const photos = fake.photos(tom.id).length;
    const message = await (async () => {
      const count = fake.messages(tom.id).length;
      fake.sendText(tom, '/profile');
      return waitFor(() => fake.messages(tom.id)[count], { what: 'the text profile' });
    })();
    expect(message.text).toContain('Rank: Apprentice (2/20)');
    expect(message.text).toContain('XP: 1200');
    expect(fake.photos(tom.id)).toHaveLength(photos);
  });
});

describe('Telegram rank card against a Bot API that takes no photos', () => {
  let fake: FakeTelegram;
  let app: TestApp;

  beforeAll(async () => {
    fake = await FakeTelegram.start(); // refuses multipart uploads with 400
    app = await startBotApp(fake);
  });

  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });

  it('the player gets the text profile', async () => {
    fake.sendText(tom, '/profile');
    const message = await fake.waitForMessage(tom.id, /Rank: Rookie \(1\/20\)/, 15_000);
    expect(message.text).toContain('Coins: 0');
    const refused = await fake.waitForCall('sendPhoto');
    expect(refused.outcome).toMatchObject({ ok: false, error: { error_code: 400 } });
  });
});
