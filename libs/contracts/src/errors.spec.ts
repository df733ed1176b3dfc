import { ERROR_TEXT, ErrorReplies, isErrorReply } from '#app/contracts';

describe('isErrorReply', () => {
  it.each([
    [{ status: 400, error: 'bad', errors: [] }],
    [{ status: 401, error: 'Invalid Access Token' }],
    [{ status: 422, error: 'x', attributes: ['source_id'] }],
    [{ status: 500, error: '' }],
    [{ status: 599, error: 'x' }],
  ])('accepts %j', (value) => {
    expect(isErrorReply(value)).toBe(true);
  });

  it.each([
    [null],
    [undefined],
    ['error'],
    [404],
    [[]],
    [{}],
    [{ status: 404 }],
    [{ error: 'x' }],
    [{ status: '404', error: 'x' }],
    [{ status: 404.5, error: 'x' }],
    [{ status: 399, error: 'x' }],
    [{ status: 200, error: 'x' }],
    [{ status: 600, error: 'x' }],
    [{ status: 404, error: { message: 'x' } }],
    [{ response: { data: {} }, isDisposed: true }],
  ])('refuses %j', (value) => {
    expect(isErrorReply(value)).toBe(false);
  });

  it('accepts every reply the contract builds', () => {
    const replies = [
      ErrorReplies.badRequest([{ field: 'page', message: 'm', code: 'min' }]),
      ErrorReplies.noToken(),
      ErrorReplies.badToken(),
      ErrorReplies.forbidden(),
      ErrorReplies.notFound(),
      ErrorReplies.unprocessable('too long', ['custom_attributes.a']),
      ErrorReplies.internal(),
      ErrorReplies.unavailable(),
      ErrorReplies.timeout(),
    ];
    expect(replies.map((r) => r.status)).toEqual([400, 401, 401, 403, 404, 422, 500, 503, 504]);
    expect(replies.every(isErrorReply)).toBe(true);
  });

  it('uses the texts of SPEC 4.4', () => {
    expect(ErrorReplies.noToken()).toEqual({ status: 401, error: 'You need to sign in or sign up before continuing.' });
    expect(ErrorReplies.badToken()).toEqual({ status: 401, error: 'Invalid Access Token' });
    expect(ErrorReplies.notFound()).toEqual({ status: 404, error: 'Resource could not be found' });
    expect(ErrorReplies.badRequest([])).toEqual({ status: 400, error: ERROR_TEXT.badRequest, errors: [] });
  });
});
