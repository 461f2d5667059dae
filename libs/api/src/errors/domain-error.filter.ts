import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '@ttfd/common';
import { errorBody } from './error-body';
import { httpStatusOf } from './error-status';

/** REST answer for a refused operation: its status, its stable code, what it may show. */
@Catch(DomainError)
export class DomainErrorFilter implements ExceptionFilter<DomainError> {
  catch(error: DomainError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = httpStatusOf(error);
    if (error.code === 'RATE_LIMITED' || typeof error.details.retryAfterSeconds === 'number') {
      const retryAfter = error.details.retryAfterSeconds;
      if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    }
    res
      .status(status)
      .json(errorBody(status, error.code, error.message, { details: error.details }));
  }
}
