import { ErrorReplies } from '#app/contracts';
import { httpErrorBody } from './http-error-body.js';

describe('httpErrorBody', () => {
  it("400 → the seed's bad_request_error: {description, errors}", () => {
    const errors = [{ field: 'page', message: 'page must be 1 or more', code: 'min' }];
    expect(httpErrorBody(ErrorReplies.badRequest(errors))).toStrictEqual({ description: 'The request is malformed.', errors });
  });

  it('400 without field errors → errors: []', () => {
    expect(httpErrorBody({ status: 400, error: 'Body is not JSON' })).toStrictEqual({ description: 'Body is not JSON', errors: [] });
  });

  it("422 → Chatwoot's {message, attributes}", () => {
    expect(httpErrorBody(ErrorReplies.unprocessable('source_id belongs to another contact', ['source_id']))).toStrictEqual({
      message: 'source_id belongs to another contact',
      attributes: ['source_id'],
    });
    expect(httpErrorBody({ status: 422, error: 'x' })).toStrictEqual({ message: 'x', attributes: [] });
  });

  it.each([
    [ErrorReplies.noToken(), 'You need to sign in or sign up before continuing.'],
    [ErrorReplies.badToken(), 'Invalid Access Token'],
    [ErrorReplies.forbidden('Agent bots may not list conversations.'), 'Agent bots may not list conversations.'],
    [ErrorReplies.notFound(), 'Resource could not be found'],
    [ErrorReplies.internal(), 'Something went wrong on our side.'],
    [ErrorReplies.unavailable(), 'The service is temporarily unavailable.'],
    [ErrorReplies.timeout(), 'The service did not answer in time.'],
  ])('%j → {error}', (reply, error) => {
    expect(httpErrorBody(reply)).toStrictEqual({ error });
  });

  it('passes nothing but the error text for other statuses, even when the reply carries more', () => {
    expect(httpErrorBody({ status: 404, error: 'Resource could not be found', errors: [{ field: 'x', message: 'y', code: 'z' }], attributes: ['a'] })).toStrictEqual({
      error: 'Resource could not be found',
    });
  });
});
