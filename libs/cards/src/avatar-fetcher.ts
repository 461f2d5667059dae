import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@ttfd/config';

/** A profile picture larger than this is not a profile picture: the initials stand in. */
export const MAX_AVATAR_BYTES = 2 * 1024 * 1024;

/**
 * Downloads an avatar from a CDN (Discord's, or Telegram's file storage) with a timeout
 * (PLATFORM_CALL_TIMEOUT_MS) and a size cap. Never throws: any failure means the card shows the
 * initials. `label` names the picture in logs; the URL itself is never logged, because a
 * Telegram file URL carries the bot token.
 */
@Injectable()
export class AvatarFetcher {
  private readonly logger = new Logger(AvatarFetcher.name);
  private readonly timeoutMs: number;

  constructor(config: AppConfig) {
    this.timeoutMs = config.env.PLATFORM_CALL_TIMEOUT_MS;
  }

  async download(url: string, label: string): Promise<Buffer | null> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
      if (!response.ok) {
        await response.body?.cancel();
        this.logger.warn(`Avatar ${label}: HTTP ${response.status}, initials instead`);
        return null;
      }
      const declared = Number(response.headers.get('content-length') ?? 0);
      if (declared > MAX_AVATAR_BYTES) {
        await response.body?.cancel();
        this.logger.warn(`Avatar ${label}: ${declared} bytes is too large, initials instead`);
        return null;
      }
      return await readCapped(response, label, this.logger);
    } catch (error) {
      // By name: errors of fetch may come from another realm (instanceof is not reliable).
      const name = (error as { name?: string } | null)?.name ?? 'Error';
      const reason =
        name === 'TimeoutError' || name === 'AbortError'
          ? `no answer within ${this.timeoutMs} ms`
          : // A message may quote the URL (a parse error), and a Telegram file URL holds the token.
            `${name}: ${String((error as { message?: string } | null)?.message ?? 'failed')
              .split(url)
              .join('<url>')}`;
      this.logger.warn(`Avatar ${label}: ${reason}, initials instead`);
      return null;
    }
  }
}

async function readCapped(
  response: Response,
  label: string,
  logger: Logger,
): Promise<Buffer | null> {
  if (!response.body) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > MAX_AVATAR_BYTES) {
      await response.body.cancel().catch(() => undefined);
      logger.warn(`Avatar ${label}: more than ${MAX_AVATAR_BYTES} bytes, initials instead`);
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
