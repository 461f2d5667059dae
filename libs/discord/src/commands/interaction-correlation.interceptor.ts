import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { NecordExecutionContext, type NecordContextType } from 'necord';
import { Observable } from 'rxjs';
import { newCorrelationId, withCorrelation } from '@ttfd/common';

/**
 * Runs each slash command and button handler in a correlation of its own: `dc-{interaction id}`
 * (a snowflake, unique, and the id Discord's own logs know the interaction by). Registered as a
 * global interceptor, so it sees every context and passes through all but necord's.
 * Nest binds the handler's async context when `handle()` is called, which is why calling it
 * inside `withCorrelation` is enough.
 */
@Injectable()
export class InteractionCorrelationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<NecordContextType>() !== 'necord') return next.handle();
    const [event] = NecordExecutionContext.create(context).getContext<'interactionCreate'>();
    const id = typeof event?.id === 'string' ? `dc-${event.id}` : newCorrelationId('dc');
    return withCorrelation(id, () => next.handle());
  }
}
