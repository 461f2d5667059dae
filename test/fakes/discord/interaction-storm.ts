/**
 * A storm on interaction answers: while it blows, every interaction callback
 * (`POST /interactions/:id/:token/callback`) and every interaction webhook call that answers a
 * user (`POST /webhooks/:app/:token` follow-ups, `PATCH /webhooks/:app/:token/messages/:id`
 * edits) gets one of Discord's bad answers instead of reaching the fake's state:
 *
 * - `unknownInteraction`: 404 `{ code: 10062, message: 'Unknown interaction' }` (the 3 s deadline
 *   missed, or an expired token),
 * - `serverError`: 500 `{ code: 0, message: '500: Internal Server Error' }`,
 * - `hang`: no answer at all until the storm ends (then the socket is dropped, as a dead proxy
 *   would) or the client gives up and closes it.
 *
 * The kinds take turns in a fixed cycle built from the weights (no randomness: a run is
 * repeatable), so a mix of `{ unknownInteraction: 2, serverError: 1, hang: 1 }` answers
 * 10062, 10062, 500, hang, 10062, ... Failure injection with `failNext` is one-shot per rule;
 * a storm lasts until the test ends it, however many calls come.
 */
import type { ServerResponse } from 'node:http';
import { DiscordErrors } from './discord-errors';

export type InteractionStormKind = 'unknownInteraction' | 'serverError' | 'hang';

/** Relative weights of each bad answer; a kind left out (or 0) never happens. */
export type InteractionStormMix = Partial<Record<InteractionStormKind, number>>;

/** What the storm did so far, per kind (counts survive `end`, reset by the next `begin`). */
export type InteractionStormHits = Record<InteractionStormKind, number>;

export type StormVerdict =
  | { kind: 'unknownInteraction' | 'serverError'; status: number; body: Record<string, unknown> }
  | { kind: 'hang' };

const KINDS: InteractionStormKind[] = ['unknownInteraction', 'serverError', 'hang'];

/** The routes a storm hits, on the versionless path (`/interactions/...`, `/webhooks/...`). */
export function isInteractionAnswer(method: string, path: string, applicationId: string): boolean {
  if (method === 'POST' && /^\/interactions\/[^/]+\/[^/]+\/callback$/.test(path)) return true;
  const webhook = /^\/webhooks\/([^/]+)\/[^/]+(\/messages\/[^/]+)?$/.exec(path);
  if (!webhook || webhook[1] !== applicationId) return false;
  return (method === 'POST' && !webhook[2]) || (method === 'PATCH' && Boolean(webhook[2]));
}

export class InteractionStorm {
  private cycle: InteractionStormKind[] = [];
  private next = 0;
  private hits: InteractionStormHits = { unknownInteraction: 0, serverError: 0, hang: 0 };
  private readonly held = new Set<ServerResponse>();

  constructor(private readonly applicationId: string) {}

  get active(): boolean {
    return this.cycle.length > 0;
  }

  begin(mix: InteractionStormMix): void {
    const cycle = KINDS.flatMap((kind) => {
      const weight = mix[kind] ?? 0;
      if (!Number.isInteger(weight) || weight < 0)
        throw new Error(`interaction storm: weight of ${kind} must be a whole number >= 0`);
      return Array.from({ length: weight }, () => kind);
    });
    if (cycle.length === 0) throw new Error('interaction storm: give at least one kind a weight');
    this.cycle = cycle;
    this.next = 0;
    this.hits = { unknownInteraction: 0, serverError: 0, hang: 0 };
  }

  /** Calm again: later calls reach the fake as usual; held calls lose their socket now. */
  end(): void {
    this.cycle = [];
    for (const res of this.held) res.destroy();
    this.held.clear();
  }

  counts(): InteractionStormHits {
    return { ...this.hits };
  }

  /** Requests held open right now. */
  holding(): number {
    return this.held.size;
  }

  /** The storm's answer to this request, or undefined when it passes (no storm, other route). */
  take(method: string, path: string): StormVerdict | undefined {
    if (!this.active || !isInteractionAnswer(method, path, this.applicationId)) return undefined;
    const kind = this.cycle[this.next % this.cycle.length]!;
    this.next += 1;
    this.hits[kind] += 1;
    switch (kind) {
      case 'unknownInteraction': {
        const error = DiscordErrors.unknownInteraction();
        return { kind, status: error.status, body: error.body() };
      }
      case 'serverError':
        return { kind, status: 500, body: { message: '500: Internal Server Error', code: 0 } };
      case 'hang':
        return { kind };
    }
  }

  /** Keeps the response unanswered until the storm ends or the client closes the socket. */
  hold(res: ServerResponse): Promise<void> {
    if (!this.active) {
      res.destroy();
      return Promise.resolve();
    }
    this.held.add(res);
    return new Promise((resolve) => {
      res.once('close', () => {
        this.held.delete(res);
        resolve();
      });
    });
  }
}
