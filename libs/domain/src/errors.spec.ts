import { ErrorReplies } from '#app/contracts';
import {
  DomainError,
  errorReplyFor,
  ForbiddenError,
  InvalidRequestError,
  InvalidTokenError,
  NotFoundError,
  RuleViolationError,
  UnavailableError,
} from '#app/domain';

/** An error as node-postgres raises it: an Error with a `code` (SQLSTATE or a Node system code). */
const pgError = (code: string, message = 'boom: SELECT secret FROM users') => Object.assign(new Error(message), { code });

const INTERNAL = { status: 500, error: 'Something went wrong on our side.' };
const UNAVAILABLE = { status: 503, error: 'The database is unavailable; try again shortly.' };

describe('errorReplyFor', () => {
  describe('domain errors carry their own reply', () => {
    it('InvalidTokenError → 401', () => {
      expect(errorReplyFor(new InvalidTokenError())).toStrictEqual({ status: 401, error: 'Invalid Access Token' });
    });

    it('ForbiddenError → 403 with its reason', () => {
      expect(errorReplyFor(new ForbiddenError('Agent bots may not list conversations.'))).toStrictEqual({
        status: 403,
        error: 'Agent bots may not list conversations.',
      });
    });

    it('NotFoundError → 404 with the fixed text (what was missing is for logs only)', () => {
      const error = new NotFoundError('inbox 7');
      expect(error.message).toBe('inbox 7 not found');
      expect(errorReplyFor(error)).toStrictEqual({ status: 404, error: 'Resource could not be found' });
    });

    it('RuleViolationError → 422 with its attributes', () => {
      expect(errorReplyFor(new RuleViolationError('Attribute value is too long', ['custom_attributes.note']))).toStrictEqual({
        status: 422,
        error: 'Attribute value is too long',
        attributes: ['custom_attributes.note'],
      });
    });

    it('InvalidRequestError → 400 with its field errors', () => {
      const reply = ErrorReplies.badRequest([{ field: 'query.page', message: 'page must be 1 or more', code: 'min' }]);
      const error = new InvalidRequestError(reply);
      expect(error.message).toBe('The request is malformed.');
      expect(errorReplyFor(error)).toStrictEqual({
        status: 400,
        error: 'The request is malformed.',
        errors: [{ field: 'query.page', message: 'page must be 1 or more', code: 'min' }],
      });
    });

    it('UnavailableError → 503', () => {
      expect(errorReplyFor(new UnavailableError())).toStrictEqual(UNAVAILABLE);
    });

    it('every subclass is a DomainError and an Error', () => {
      for (const error of [new InvalidTokenError(), new ForbiddenError('x'), new NotFoundError('x'), new RuleViolationError('x', []), new UnavailableError()]) {
        expect(error).toBeInstanceOf(DomainError);
        expect(error).toBeInstanceOf(Error);
      }
    });
  });

  describe('the database could not be reached → 503', () => {
    it.each([['ECONNREFUSED'], ['ECONNRESET'], ['ETIMEDOUT'], ['EHOSTUNREACH'], ['ENOTFOUND'], ['EAI_AGAIN'], ['EPIPE']])('code %s', (code) => {
      expect(errorReplyFor(pgError(code, `connect ${code} 10.0.0.5:5432`))).toStrictEqual(UNAVAILABLE);
    });

    it.each([
      ['57P01', 'admin_shutdown'],
      ['57P02', 'crash_shutdown'],
      ['57P03', 'cannot_connect_now'],
      ['08006', 'connection_failure'],
      ['08001', 'sqlclient_unable_to_establish_sqlconnection'],
      ['57P04', 'database_dropped'],
      ['53300', 'too_many_connections'],
      ['57014', 'query_canceled: a statement timeout under overload'],
      ['55P03', 'lock_not_available'],
      ['40001', 'serialization_failure'],
      ['40P01', 'deadlock_detected'],
      ['25P03', 'idle_in_transaction_session_timeout'],
      ['3D000', 'invalid_catalog_name: the database is not created yet'],
    ])('SQLSTATE %s (%s)', (code) => {
      expect(errorReplyFor(pgError(code))).toStrictEqual(UNAVAILABLE);
    });

    it('a transient error wrapped as the cause of another', () => {
      expect(errorReplyFor(new Error('query failed', { cause: pgError('ECONNREFUSED') }))).toStrictEqual(UNAVAILABLE);
    });

    it.each([
      ['Connection terminated unexpectedly'],
      ['timeout exceeded when trying to connect'],
      ['Cannot execute operation on "default" connection because connection is not yet established.'],
    ])('node-postgres message %j', (message) => {
      expect(errorReplyFor(new Error(message))).toStrictEqual(UNAVAILABLE);
    });
  });

  describe('Postgres refused a value (SQLSTATE class 22) → 400', () => {
    it.each([['22P02'], ['22003'], ['22007'], ['22008']])('SQLSTATE %s', (code) => {
      expect(errorReplyFor(pgError(code, 'invalid input syntax for type bigint: "x"'))).toStrictEqual({
        status: 400,
        error: 'The request is malformed.',
        errors: [{ field: 'body', message: 'a value is malformed or out of range', code: 'invalidValue' }],
      });
    });
  });

  describe('anything else → 500 with nothing of the cause', () => {
    it.each([
      ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
      ['a unique violation', pgError('23505', 'duplicate key value violates unique constraint "UQ_x"')],
      ['a syntax error', pgError('42601', 'syntax error at or near "SELEC"')],
      ['an undefined column', pgError('42703', 'column "undefined" does not exist')],
      ['a string', 'boom'],
      ['null', null],
      ['undefined', undefined],
      ['a plain object', { message: 'SELECT 1' }],
    ])('%s', (_, error) => {
      expect(errorReplyFor(error)).toStrictEqual(INTERNAL);
    });
  });
});
