/**
 * Telegram `/profile` against the fake Bot API: a profile whose card is not cached is answered
 * with the text at once, and its rank card (drawn with the user's profile photo from
 * getUserProfilePhotos + getFile + the file download) follows as a photo; an unchanged profile is
 * answered with the cached card, its caption the profile, sent again by the file_id Telegram
 * gave it (no drawing, no upload); a change of XP draws a new card; a Bot API that refuses the
 * photo leaves the text profile.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { Message } from 'telegraf/types';
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

  const profileTexts = (user: FakeUser) =>
    fake.messages(user.id).filter((message) => message.text.startsWith('👤'));

  /** Sends /profile: its text answer (none when the cached card answers) and the photo it brings. */
  async function askProfile(
    user: FakeUser,
  ): Promise<{ text: Message.TextMessage | undefined; photo: SentPhoto }> {
    const [texts, photos] = [profileTexts(user).length, fake.photos(user.id).length];
    fake.sendText(user, '/profile');
    const photo = await waitFor(() => fake.photos(user.id)[photos], {
      what: `a photo to ${user.id}`,
    });
    return { text: profileTexts(user)[texts], photo };
  }

  it('answers a first /profile with the text at once; the card, drawn with the profile photo, follows', async () => {
    const unique = fake.setProfilePhoto(vera.id, await photoBytes());
    await award(vera, 1_200);
    const before = renderer.renders;

    const { text, photo } = await askProfile(vera);

    expect(text?.text).toContain('Вера Соколова');
    expect(text?.text).toContain('Ранг: Ученик (2/20)');
    expect(text?.text).toContain('XP: 1200');
    // The card comes after the text, without a caption (the text is right above it).
    expect(photo.messageId).toBeGreaterThan(text!.message_id);
    expect(photo.caption).toBeUndefined();
    expect(photo.byFileId).toBeUndefined();
    expect(isPng(photo.bytes)).toBe(true);
    expect(photo.filename).toMatch(/^rank-[0-9a-f]{16}\.png$/);
    expect(renderer.renders).toBe(before + 1);
    // The 320 px size: the smallest at least as wide as the card draws the avatar.
    expect(fake.calls('getFile').at(-1)?.params.file_id).toMatch(/^photo-9101-\d+-1$/);
    expect(fake.fileDownloads()).toContainEqual(expect.stringContaining('_320.jpg'));
    expect(unique).toBeTruthy();
    // The download URL carries the token: it must never reach a log line.
    expect(JSON.stringify(logs.lines)).not.toContain(fake.token);
  });

  it("answers a first /profile in text while the Bot API has not yet named the player's photo; the card follows", async () => {
    const ida: FakeUser = { id: 9105, first_name: 'Ida', language_code: 'en' };
    await award(ida, 300);
    const release = fake.hold('getUserProfilePhotos');
    try {
      fake.sendText(ida, '/profile');
      // Before the bot's Bot API client gives up on the held call (PLATFORM_CALL_TIMEOUT_MS, 8 s),
      // after which a bot that waited would send the card with initials instead of the text.
      const text = await waitFor(() => profileTexts(ida)[0], {
        timeoutMs: 5_000,
        what: 'the text profile while getUserProfilePhotos is held',
      });
      expect(text.text).toContain('XP: 300');
      expect(fake.photos(ida.id)).toHaveLength(0);
    } finally {
      release();
    }
    const photo = await waitFor(() => fake.photos(ida.id)[0], { what: 'the card' });
    expect(isPng(photo.bytes)).toBe(true);
  });

  it('answers an unchanged profile with the cached card, captioned, sent again by its file_id', async () => {
    const first = fake.photos(vera.id).at(-1)!;
    const [renders, downloads, uploads] = [
      renderer.renders,
      fake.fileDownloads().length,
      fake.photos(vera.id).filter((photo) => !photo.byFileId).length,
    ];
    const { text, photo } = await askProfile(vera);
    expect(text).toBeUndefined();
    expect(photo.byFileId).toMatch(/^sent-9101-/);
    expect(Buffer.from(photo.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect(photo.filename).toBe(first.filename);
    expect(photo.caption).toContain('Вера Соколова');
    expect(photo.caption).toContain('Ранг: Ученик (2/20)');
    expect(photo.caption!.length).toBeLessThanOrEqual(TELEGRAM_CAPTION_LIMIT);
    const again = await askProfile(vera);
    expect(again.photo.byFileId).toBe(photo.byFileId);
    expect(renderer.renders).toBe(renders);
    expect(fake.fileDownloads()).toHaveLength(downloads);
    expect(fake.photos(vera.id).filter((sent) => !sent.byFileId)).toHaveLength(uploads);
  });

  it('sends an English card with initials to a user without a photo', async () => {
    await award(tom, 300);
    const downloads = fake.fileDownloads().length;
    const { text, photo } = await askProfile(tom);
    expect(text?.text).toContain('Rank: Rookie (1/20)');
    expect(text?.text).toContain('Coins: 7');
    expect(isPng(photo.bytes)).toBe(true);
    expect(fake.fileDownloads()).toHaveLength(downloads);
  });

  it('a change of XP answers in text at once and draws a new card', async () => {
    const before = (await askProfile(tom)).photo;
    expect(before.caption).toContain('Rank: Rookie (1/20)');
    const renders = renderer.renders;
    await award(tom, 900);
    const { text, photo: after } = await askProfile(tom);
    expect(text?.text).toContain('Rank: Apprentice (2/20)');
    expect(after.byFileId).toBeUndefined();
    expect(after.filename).not.toBe(before.filename);
    expect(Buffer.from(after.bytes).equals(Buffer.from(before.bytes))).toBe(false);
    expect(renderer.renders).toBe(renders + 1);
    const cached = await askProfile(tom);
    expect(cached.photo.caption).toContain('Rank: Apprentice (2/20)');
    expect(cached.photo.byFileId).toMatch(/^sent-9102-/);
  });

  it('when the Bot API refuses the photo, the text profile answers; the next card is uploaded', async () => {
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
    // The refused file_id is not tried again: the cached card is uploaded anew.
    const { photo } = await askProfile(tom);
    expect(photo.byFileId).toBeUndefined();
    expect(photo.caption).toContain('Rank: Apprentice (2/20)');
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
