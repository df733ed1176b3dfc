import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { INTEGER_TEXT, ToInteger } from './transforms.js';

/** Applies several property decorators as one. */
function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/**
 * An id: an integer (or integer string) small enough to be exact in JavaScript. A well-formed id
 * that names nothing is not a 400: it is a 404 or an empty list, decided by the worker.
 */
export const IsId = () =>
  compose(
    ToInteger(),
    IsInt({ message: '$property must be an integer' }),
    Min(-Number.MAX_SAFE_INTEGER, { message: '$property is out of range' }),
    Max(Number.MAX_SAFE_INTEGER, { message: '$property is out of range' }),
  );

const ID_RANGE = { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };

/**
 * OpenAPI for an optional IsId: an integer, or the same integer as a numeric string (the seed's
 * Swagger file sends strings, Chatwoot now integers). In a query string every value is text, so
 * there it is simply an integer.
 */
export const ApiIdProperty = (description: string, location: 'body' | 'query' = 'body') =>
  ApiPropertyOptional({
    description: location === 'body' ? `${description} An integer, or a numeric string.` : description,
    ...(location === 'body'
      ? { oneOf: [{ type: 'integer', ...ID_RANGE }, { type: 'string', pattern: INTEGER_TEXT.source }] }
      : { type: 'integer', ...ID_RANGE }),
    example: 1,
  });
