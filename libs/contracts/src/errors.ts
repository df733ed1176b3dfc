/**
 * Error replies (SPEC 4.4 and 5). The worker sends `{"err": ErrorReply, "isDisposed": true}`; any client,
 * the gateway included, turns `status` into the HTTP status without guessing.
 */
export interface FieldError {
  /** The query parameter or body field (dotted for nested ones), or `body` for the body as a whole. */
  field: string;
  message: string;
  /** A machine-readable reason: the class-validator constraint name, or one of ours. */
  code: string;
}

export interface ErrorReply {
  status: number;
  error: string;
  /** 400 only: what was wrong with each field. */
  errors?: FieldError[];
  /** 422 only: the attributes that broke a rule. */
  attributes?: string[];
}

export const ERROR_TEXT = {
  noToken: 'You need to sign in or sign up before continuing.',
  badToken: 'Invalid Access Token',
  notFound: 'Resource could not be found',
  forbidden: 'You are not authorized to access this resource.',
  badRequest: 'The request is malformed.',
  timeout: 'The service did not answer in time.',
  unavailable: 'The service is temporarily unavailable.',
  internal: 'Something went wrong on our side.',
} as const;

export const ErrorReplies = {
  badRequest: (errors: FieldError[], error: string = ERROR_TEXT.badRequest): ErrorReply => ({ status: 400, error, errors }),
  noToken: (): ErrorReply => ({ status: 401, error: ERROR_TEXT.noToken }),
  badToken: (): ErrorReply => ({ status: 401, error: ERROR_TEXT.badToken }),
  forbidden: (error: string = ERROR_TEXT.forbidden): ErrorReply => ({ status: 403, error }),
  notFound: (): ErrorReply => ({ status: 404, error: ERROR_TEXT.notFound }),
  unprocessable: (error: string, attributes: string[]): ErrorReply => ({ status: 422, error, attributes }),
  internal: (): ErrorReply => ({ status: 500, error: ERROR_TEXT.internal }),
  unavailable: (error: string = ERROR_TEXT.unavailable): ErrorReply => ({ status: 503, error }),
  timeout: (error: string = ERROR_TEXT.timeout): ErrorReply => ({ status: 504, error }),
};

/** True for a value shaped like an ErrorReply (as it arrives from the broker: plain JSON). */
export function isErrorReply(value: unknown): value is ErrorReply {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return Number.isInteger(v.status) && (v.status as number) >= 400 && (v.status as number) < 600 && typeof v.error === 'string';
}
