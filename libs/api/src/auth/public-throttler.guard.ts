import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiError } from '../errors/api.error';
import { GraphqlContext } from './request-of';

/**
 * Rate limit for public GraphQL and player login (THROTTLE_LIMIT per THROTTLE_TTL_MS per client
 * address). Deliberately not global: the Telegram webhook, /health and /metrics are never
 * throttled. The counters live in process memory: with several API replicas the effective
 * limit is per replica, which is fine for a generous abuse guard.
 */
@Injectable()
export class PublicThrottlerGuard extends ThrottlerGuard {
  protected override getRequestResponse(context: ExecutionContext) {
    if (context.getType<'http' | 'graphql'>() === 'graphql') {
      const { req, res } = GqlExecutionContext.create(context).getContext<GraphqlContext>();
      return {
        req: req as unknown as Record<string, unknown>,
        res: res as unknown as Record<string, unknown>,
      };
    }
    return super.getRequestResponse(context);
  }

  protected override async throwThrottlingException(): Promise<void> {
    throw new ApiError('RATE_LIMITED', 'Too many requests; slow down and try again shortly');
  }
}
