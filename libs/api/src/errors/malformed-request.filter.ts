import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { errorBody } from './error-body';

/**
 * A 400 that Nest raised itself, before any of our code ran: a body that is not valid JSON (the
 * body parser's SyntaxError) or an undecodable path. It gets the shape and a `code` like every
 * other error. Our own 400s (validation) already carry their code and pass through unchanged.
 */
@Catch(BadRequestException)
export class MalformedRequestFilter implements ExceptionFilter<BadRequestException> {
  catch(exception: BadRequestException, host: ArgumentsHost): unknown {
    // GraphQL resolvers' exceptions are GraphQL's to format.
    if (host.getType() !== 'http') return exception;
    const res = host.switchToHttp().getResponse<Response>();
    const answer = exception.getResponse();
    if (typeof answer === 'object' && 'code' in answer) {
      res.status(400).json(answer);
      return undefined;
    }
    const parseError = /JSON/.test(exception.message);
    res
      .status(400)
      .json(
        parseError
          ? errorBody(400, 'MALFORMED_JSON', 'The request body is not valid JSON')
          : errorBody(400, 'BAD_REQUEST', exception.message),
      );
    return undefined;
  }
}
