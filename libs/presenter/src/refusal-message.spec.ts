import { EconomyError, ECONOMY_ERROR_CODES } from '@ttfd/economy';
import { GamesError, GAMES_ERROR_CODES } from '@ttfd/games';
import { translate } from '@ttfd/i18n';
import { LinkingError, LINKING_ERROR_CODES } from '@ttfd/linking';
import { refusalMessage } from './refusal-message';

const ZONE = 'Europe/Moscow';

describe('refusalMessage', () => {
  it('gives every code of every domain a message in both languages on both bots', () => {
    const refusals = [
      ...ECONOMY_ERROR_CODES.map((code) => new EconomyError(code, code)),
      ...LINKING_ERROR_CODES.map((code) => new LinkingError(code, code)),
      ...GAMES_ERROR_CODES.map((code) => new GamesError(code, code)),
    ];
    for (const error of refusals) {
      for (const platform of ['telegram', 'discord'] as const) {
        for (const locale of ['ru', 'en'] as const) {
          const message = refusalMessage(error, platform, ZONE, locale);
          expect(message).not.toBeNull();
          const text = translate(locale, message!.key, message!.params);
          expect(text).not.toMatch(/[{}]/);
          expect(text).not.toContain(error.code);
        }
      }
    }
  });

  it('words linking refusals from the side the member is on', () => {
    const error = new LinkingError('LINK_SELF', 'own code');
    expect(refusalMessage(error, 'telegram', ZONE, 'en')!.key).toBe('error.LINK_SELF');
    expect(refusalMessage(error, 'discord', ZONE, 'en')!.key).toBe('discord.error.LINK_SELF');
  });

  it('says waits in whole minutes and the next time in the community zone', () => {
    const limited = new LinkingError('LINK_TOO_MANY_ATTEMPTS', 'slow down', {
      retryAfterSeconds: 61,
    });
    expect(refusalMessage(limited, 'discord', ZONE, 'en')!.params.minutes).toBe(2);
    const spun = new GamesError('ALREADY_SPUN', 'tomorrow', {
      nextSpinAt: '2026-03-01T21:00:00.000Z',
    });
    const text = translate(
      'en',
      'error.ALREADY_SPUN',
      refusalMessage(spun, 'telegram', ZONE, 'en')!.params,
    );
    expect(text).toContain('00:00');
  });

  it('is null for anything that is not a refusal', () => {
    expect(refusalMessage(new Error('bug'), 'telegram', ZONE, 'en')).toBeNull();
  });
});
