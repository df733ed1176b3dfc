import { applyDecorators, type INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiResponse, ApiSecurity, DocumentBuilder, SwaggerModule, type OpenAPIObject, type SecuritySchemeObject } from '@nestjs/swagger';
import { ERROR_TEXT, fieldErrorSchema, ReplySchemas, type JsonSchema } from '#app/contracts';
import { TOO_MANY_REQUESTS } from './rate-limit.js';

/** Swagger UI; outside API_PREFIX, so it needs no token. */
export const DOCS_PATH = '/docs';
export const OPENAPI_JSON_PATH = `${DOCS_PATH}/openapi.json`;

/** The three ways to send a token (SPEC 4). Listed as separate requirements, so any one will do. */
export const SECURITY_SCHEMES = {
  api_access_token: { type: 'apiKey', in: 'header', name: 'api_access_token', description: "A user's or an agent bot's access token." },
  'api-access-token': {
    type: 'apiKey',
    in: 'header',
    name: 'api-access-token',
    description: 'The same token under a name that survives proxies which drop headers with underscores.',
  },
  bearer: { type: 'http', scheme: 'bearer', description: 'The same token as `Authorization: Bearer <token>`.' },
} satisfies Record<string, SecuritySchemeObject>;

/** The error bodies, as the gateway's HttpErrorFilter (and the rate limiter) write them (see httpErrorBody). */
const HTTP_ERROR_SCHEMAS = {
  BadRequestError: {
    type: 'object',
    description: "The seed's bad_request_error: what was wrong, field by field (`body` for a body that is not JSON or too large).",
    required: ['description', 'errors'],
    properties: { description: { type: 'string' }, errors: { type: 'array', items: fieldErrorSchema } },
  },
  GenericError: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
  UnprocessableEntityError: {
    type: 'object',
    description: "Chatwoot's body for a broken rule: the message and the attributes that broke it.",
    required: ['message', 'attributes'],
    properties: { message: { type: 'string' }, attributes: { type: 'array', items: { type: 'string' } } },
  },
} satisfies Record<string, JsonSchema>;

/** `ErrorReply` is the queue's error envelope: over HTTP it becomes one of HTTP_ERROR_SCHEMAS instead. */
const { ErrorReply: _queueOnly, ...httpReplySchemas } = ReplySchemas;

/** The reply schemas are 2020-12 JSON Schema shared with the AsyncAPI document: hence OpenAPI 3.1. */
const COMPONENT_SCHEMAS = { ...httpReplySchemas, ...HTTP_ERROR_SCHEMAS };

export const schemaRef = (name: keyof typeof COMPONENT_SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });

const error = (text: string) => ({ error: text });

/** Sent with every response of the API, errors included (see echoRequestId). */
const REQUEST_ID_HEADER = {
  'X-Request-Id': {
    description: "The request's id: the caller's own X-Request-Id when it is a sane one, else a new UUID. The gateway's and the worker's log lines for the request carry it.",
    schema: { type: 'string' },
  },
};

const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds until the current one-minute window of the limit ends.', schema: { type: 'integer', minimum: 1, maximum: 60 } },
};

interface ErrorResponse {
  description: string;
  schema: { $ref: string };
  example?: unknown;
  examples?: Record<string, { summary: string; value: unknown }>;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

/** Each error status the gateway can answer, its body, headers and an example. */
const ERROR_RESPONSES = {
  400: {
    description: 'Malformed request: a bad type, an unknown enum value; a body that is not JSON (any content type but application/json), or over 1 MB.',
    schema: schemaRef('BadRequestError'),
    example: { description: ERROR_TEXT.badRequest, errors: [{ field: 'page', message: 'page must be 1 or more', code: 'min' }] },
  },
  401: {
    description: 'No token, or one that is not known.',
    schema: schemaRef('GenericError'),
    examples: { noToken: { summary: 'no token', value: error(ERROR_TEXT.noToken) }, badToken: { summary: 'unknown token', value: error(ERROR_TEXT.badToken) } },
  },
  403: {
    description: 'Not a member of the account, an agent without access to the inbox, or an agent bot listing.',
    schema: schemaRef('GenericError'),
    example: error(ERROR_TEXT.forbidden),
  },
  404: {
    description: 'The account does not exist; or a referenced inbox, contact, team or source_id does not, in this account.',
    schema: schemaRef('GenericError'),
    example: error(ERROR_TEXT.notFound),
  },
  422: {
    description: 'A rule broken: source_id held by another contact, assignee not in the account, attribute too long, Idempotency-Key reused with another body.',
    schema: schemaRef('UnprocessableEntityError'),
    example: { message: 'source_id belongs to another contact', attributes: ['source_id'] },
  },
  429: {
    description: 'Over the rate limit of the client IP or of the token (RATE_LIMIT_IP_PER_MINUTE, RATE_LIMIT_TOKEN_PER_MINUTE); answered before the body is read.',
    schema: schemaRef('GenericError'),
    example: error(TOO_MANY_REQUESTS.error),
    headers: RETRY_AFTER_HEADER,
  },
  500: { description: 'A fault of the service itself; nothing of its cause is shown.', schema: schemaRef('GenericError'), example: error(ERROR_TEXT.internal) },
  503: { description: 'The broker or the database is unreachable.', schema: schemaRef('GenericError'), example: error(ERROR_TEXT.unavailable) },
  504: {
    description:
      'No worker answered within RPC_TIMEOUT_MS, or the broker connection dropped after the request went out: the outcome is unknown, so retry a create with the same Idempotency-Key.',
    schema: schemaRef('GenericError'),
    example: error(ERROR_TEXT.timeout),
  },
} satisfies Record<number, ErrorResponse>;

export type ErrorStatus = keyof typeof ERROR_RESPONSES;

/** Every operation is called with a token, in any of the three ways. */
export const ApiAccessToken = () => applyDecorators(...Object.keys(SECURITY_SCHEMES).map((name) => ApiSecurity(name)));

/** The 200 of an operation: one of the shared reply schemas, with the X-Request-Id header. */
export const ApiOkReply = (description: string, schema: keyof typeof COMPONENT_SCHEMAS) =>
  ApiOkResponse({ description, schema: schemaRef(schema), headers: REQUEST_ID_HEADER });

/** The error responses an operation can give, with their bodies and headers. */
export const ApiErrorResponses = (...statuses: ErrorStatus[]) =>
  applyDecorators(
    ...statuses.map((status) => {
      const { headers = {}, ...response }: ErrorResponse = ERROR_RESPONSES[status];
      return ApiResponse({ status, ...response, headers: { ...REQUEST_ID_HEADER, ...headers } });
    }),
  );

/** The OpenAPI document of the HTTP API, from the controllers' decorators and the shared DTOs. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Conversations service: HTTP API')
    .setVersion('1.0.0')
    .setDescription(
      [
        "A Chatwoot-compatible API for listing and creating support conversations: clients written for Chatwoot's",
        '`GET/POST /api/v1/accounts/{account_id}/conversations` work unchanged. Send the access token as the',
        '`api_access_token` header, as `api-access-token`, or as `Authorization: Bearer`. Every timestamp is integer',
        'unix seconds (0 when unset), except `snoozed_until`.',
      ].join(' '),
    )
    .addServer('/', 'This gateway')
    .addTag('Conversation', 'List, count and create conversations.');
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) builder.addSecurity(name, scheme);
  const config = builder.build();
  return SwaggerModule.createDocument(app, { ...config, components: { ...config.components, schemas: COMPONENT_SCHEMAS } });
}

/** Serves Swagger UI at /docs and the document at /docs/openapi.json; the UI's assets come from the gateway itself. */
export function setupOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, openApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Conversations API',
    // The document is inlined into the page; no request leaves for validator.swagger.io.
    swaggerOptions: { validatorUrl: null },
  });
}
