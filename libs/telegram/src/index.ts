export * from './telegram.module';
export { TELEGRAM_SETTINGS, WEBHOOK_PATH, type TelegramSettings } from './telegram-settings';
export { Pacer, RealTimePacer } from './sending/pacer';
export { UpdateDedupe, type Claim } from './transport/update-dedupe';
export { UserFloodGuard, type FloodVerdict } from './transport/user-flood-guard';
