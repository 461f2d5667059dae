export * from './telegram.module';
export { TELEGRAM_SETTINGS, WEBHOOK_PATH, type TelegramSettings } from './telegram-settings';
export { Pacer, RealTimePacer } from './sending/pacer';
