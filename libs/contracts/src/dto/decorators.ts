import { IsInt, Max, Min } from 'class-validator';
import { ToInteger } from './transforms.js';

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
