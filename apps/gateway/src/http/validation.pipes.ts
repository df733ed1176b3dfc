import { Injectable, type PipeTransform } from '@nestjs/common';
import { ErrorReplies, validatePayload } from '#app/contracts';
import type { ClassConstructor } from 'class-transformer';
import { ErrorReplyException } from './error-reply.exception.js';

/** Validates a query or body with the shared DTO class; 400 `bad_request_error` naming each field. */
export class DtoPipe<T extends object> implements PipeTransform<unknown, T> {
  constructor(private readonly dto: ClassConstructor<T>) {}

  transform(value: unknown): T {
    const result = validatePayload(this.dto, value ?? (undefined as unknown));
    if (!result.ok) throw new ErrorReplyException(ErrorReplies.badRequest(result.errors));
    return result.value;
  }
}

const ACCOUNT_ID = /^[1-9]\d{0,15}$/;

/** The `{account_id}` of the path: a positive integer, else 400 naming `account_id`. */
@Injectable()
export class AccountIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!ACCOUNT_ID.test(value) || !Number.isSafeInteger(Number(value))) {
      throw new ErrorReplyException(
        ErrorReplies.badRequest([{ field: 'account_id', message: 'account_id must be a positive integer', code: 'isInt' }]),
      );
    }
    return Number(value);
  }
}
