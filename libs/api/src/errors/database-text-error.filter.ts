import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { QueryFailedError } from 'typeorm';
import { DomainErrorFilter } from './domain-error.filter';
import { DATABASE_TEXT_ERROR, isDatabaseEncodingError } from './plain-text';

/**
 * A database that cannot store a text (an encoding error) answers 400 INVALID_TEXT like any
 * refused input, in the domain error's shape; every other database failure stays a fault.
 */
@Catch(QueryFailedError)
export class DatabaseTextErrorFilter extends BaseExceptionFilter implements ExceptionFilter {
  private readonly domainErrors = new DomainErrorFilter();

  override catch(error: QueryFailedError, host: ArgumentsHost): void {
    if (isDatabaseEncodingError(error)) {
      this.domainErrors.catch(DATABASE_TEXT_ERROR(), host);
      return;
    }
    super.catch(error, host);
  }
}
