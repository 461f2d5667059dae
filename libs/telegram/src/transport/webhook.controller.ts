import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Update } from 'telegraf/types';
import { TELEGRAM_SETTINGS, TelegramSettings, WEBHOOK_PATH } from '../telegram-settings';
import { secretTokenMatches } from './secret-token';
import { UpdateDeferred, UpdateIntake } from './update-intake.service';

/**
 * Webhook mode: Telegram POSTs each update here. The secret token is checked on EVERY request,
 * before the body is even looked at: wrong or missing -> 401 and nothing is processed. We answer
 * 200 once the update's effects are committed (its answers are queued, not awaited), and 503 when
 * it could not be handled, so Telegram delivers it again.
 */
@Controller(WEBHOOK_PATH)
export class WebhookController {
  constructor(
    private readonly intake: UpdateIntake,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
  ) {}

  @Post()
  @HttpCode(200)
  async receive(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const secret = this.settings.webhookSecret;
    if (!secret || !secretTokenMatches(req.headers['x-telegram-bot-api-secret-token'], secret)) {
      res.status(401).json({ ok: false, error: 'wrong or missing secret token' });
      return;
    }
    if (!isUpdate(body)) {
      res.status(400).json({ ok: false, error: 'not a Telegram update' });
      return;
    }
    try {
      await this.intake.accept(body);
    } catch (error) {
      // Not handled (Postgres or Redis down): Telegram delivers a non-2xx update again later.
      if (error instanceof UpdateDeferred) {
        res.status(503).json({ ok: false, error: 'not handled now, deliver again later' });
        return;
      }
      throw error;
    }
    res.status(200).json({ ok: true });
  }
}

function isUpdate(body: unknown): body is Update {
  return (
    typeof body === 'object' &&
    body !== null &&
    Number.isSafeInteger((body as { update_id?: unknown }).update_id)
  );
}
