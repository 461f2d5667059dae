/**
 * Fake Telegram Bot API for e2e tests. Typical use:
 *
 *   const telegram = await FakeTelegram.start();
 *   // app config: token = telegram.token, telegraf option { telegram: { apiRoot: telegram.apiRoot } }
 *   telegram.sendText({ id: 42, first_name: 'Ann' }, '/start');
 *   const reply = await telegram.waitForMessage(42, /welcome/i);
 *   telegram.pressButton({ id: 42, first_name: 'Ann' }, reply, 'claim');
 *   // afterAll: close the app (stops its bot) first, then `await telegram.stop()`
 */
export {
  DEFAULT_FAKE_TOKEN,
  FakeTelegram,
  type CallbackUpdate,
  type CallMatch,
  type MessageMatch,
  type PostUpdateOptions,
  type PressButtonOptions,
  type SendTextOptions,
  type TextUpdate,
} from './fake-telegram';
export type {
  AnsweredCallback,
  AssignedUpdate,
  BotApiErrorShape,
  CallOutcome,
  FakeTelegramOptions,
  FakeUser,
  MessageRef,
  PostResult,
  RawUpdate,
  RecordedCall,
  WebhookAttempt,
  WebhookDelivery,
} from './fake-telegram.types';
export type { InlineMessage, SentPhoto } from './state-store';
export type { ApiStormHits, ApiStormKind, ApiStormMix, ApiStormOptions } from './api-storm';
