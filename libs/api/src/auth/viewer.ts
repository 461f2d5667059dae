import type { Request } from 'express';
import { AppConfig } from '@ttfd/config';
import { Clock } from '@ttfd/clock';
import { bearerToken, secretsEqual } from './constant-time';
import { verifySession } from './session-token';

/** Who is asking: an operator with ADMIN_TOKEN, a logged-in player, or anyone. */
export type Viewer =
  { kind: 'admin' } | { kind: 'player'; telegramId: string } | { kind: 'anonymous' };

const VIEWER = Symbol('viewer');
type WithViewer = Request & { [VIEWER]?: Viewer };

/** Reads the bearer once per request and remembers the answer on it. */
export function viewerOf(req: Request, config: AppConfig, clock: Clock): Viewer {
  const cached = (req as WithViewer)[VIEWER];
  if (cached) return cached;
  const token = bearerToken(req.headers.authorization);
  let viewer: Viewer = { kind: 'anonymous' };
  if (token && secretsEqual(token, config.adminToken)) {
    viewer = { kind: 'admin' };
  } else if (token) {
    const claims = verifySession(token, config.sessionSecret, clock.nowMs());
    if (claims) viewer = { kind: 'player', telegramId: claims.tg };
  }
  (req as WithViewer)[VIEWER] = viewer;
  return viewer;
}
