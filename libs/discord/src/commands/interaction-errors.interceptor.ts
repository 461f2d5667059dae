import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { NecordExecutionContext, type NecordContextType } from 'necord';
import { catchError, Observable, of } from 'rxjs';
import { describeError } from '@ttfd/common';

/**
 * The last line of defence for slash commands and buttons: a handler's rejection must never
 * reach discord.js, whose client (built with `captureRejections`) would turn it into an
 * `'error'` event. Handlers answer their own failures through CommandContext, so anything here
 * is a bug: logged at error, with the interaction it came from, and dropped.
 */
@Injectable()
export class InteractionErrorsInterceptor implements NestInterceptor {
  private readonly logger = new Logger('DiscordCommands');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<NecordContextType>() !== 'necord') return next.handle();
    const [event] = NecordExecutionContext.create(context).getContext<'interactionCreate'>();
    return next.handle().pipe(
      catchError((error: unknown) => {
        const what =
          event && 'commandName' in event && typeof event.commandName === 'string'
            ? `/${event.commandName}`
            : `interaction ${String(event?.id)}`;
        this.logger.error(
          `${what} handler failed outside its own error handling: ${
            error instanceof Error ? (error.stack ?? describeError(error)) : String(error)
          }`,
        );
        return of(undefined);
      }),
    );
  }
}
