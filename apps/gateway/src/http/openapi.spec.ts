import SwaggerParser from '@apidevtools/swagger-parser';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { getMetadataStorage } from 'class-validator';
import {
  ASSIGNEE_TYPES,
  CONVERSATION_STATUSES,
  CreateConversationBody,
  ListConversationsQuery,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  ReplySchemas,
  SORT_ORDER_NAMES,
  STATUS_FILTERS,
} from '#app/contracts';
import { ConversationsController } from '../conversations.controller.js';
import { ConversationsRpc } from '../rpc/conversations-rpc.client.js';
import { openApiDocument } from './openapi.js';

const LIST = '/api/v1/accounts/{account_id}/conversations';
const META = `${LIST}/meta`;
const OPERATIONS = [
  ['get', LIST],
  ['get', META],
  ['post', LIST],
] as const;

/** Every status the gateway can answer, per operation: only a create can break a rule (422). */
const ERROR_STATUSES = {
  get: ['400', '401', '403', '404', '429', '500', '503', '504'],
  post: ['400', '401', '403', '404', '422', '429', '500', '503', '504'],
};
const ERROR_BODY: Record<string, string> = { '400': 'BadRequestError', '422': 'UnprocessableEntityError' };

/** What a DTO validates, from class-validator's own records: independent of the OpenAPI decorators. */
const validatedProperties = (dto: Function): string[] =>
  [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName))].sort();

let app: NestFastifyApplication;
let document: OpenAPIObject;

beforeAll(async () => {
  const moduleRef = await Test.createTestingModule({
    controllers: [ConversationsController],
    providers: [{ provide: ConversationsRpc, useValue: {} }],
  }).compile();
  app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
  document = openApiDocument(app);
});

afterAll(() => app.close());

const operation = (method: 'get' | 'post', path: string): OperationObject => document.paths[path][method] as OperationObject;
const parameters = (method: 'get' | 'post', path: string, location: string) =>
  Object.fromEntries(
    (operation(method, path).parameters as ParameterObject[]).filter((p) => p.in === location).map((p) => [p.name, p]),
  );
const schemaNamed = (ref: SchemaObject | ReferenceObject | undefined): SchemaObject => {
  const name = (ref as ReferenceObject).$ref.replace('#/components/schemas/', '');
  return document.components!.schemas![name] as SchemaObject;
};
const responseSchema = (method: 'get' | 'post', path: string, status: string) =>
  (operation(method, path).responses[status] as { content: Record<string, { schema: ReferenceObject }> }).content['application/json'].schema;

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1, every $ref resolving', async () => {
    expect(document.openapi).toBe('3.1.0');
    // The validator dereferences in place: it gets a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('describes the list, the counts and the create', () => {
    expect(Object.keys(document.paths).sort()).toEqual([LIST, META]);
    expect(OPERATIONS.map(([method, path]) => operation(method, path).operationId)).toEqual(['conversationList', 'conversationListMeta', 'newConversation']);
  });

  it.each(OPERATIONS)('%s %s takes account_id, a positive integer, in the path', (method, path) => {
    expect(parameters(method, path, 'path')).toEqual({
      account_id: expect.objectContaining({ required: true, schema: expect.objectContaining({ type: 'integer', minimum: 1 }) }),
    });
  });

  describe.each([LIST, META])('GET %s', (path) => {
    const query = () => parameters('get', path, 'query');

    it('takes every property of ListConversationsQuery, and nothing else, as an optional query parameter', () => {
      expect(Object.keys(query()).sort()).toEqual(validatedProperties(ListConversationsQuery));
      for (const parameter of Object.values(query())) expect(parameter.required).toBe(false);
    });

    it('lists the enum values of the contracts', () => {
      expect(query().assignee_type.schema).toMatchObject({ type: 'string', enum: [...ASSIGNEE_TYPES] });
      expect(query().status.schema).toMatchObject({ type: 'string', enum: [...STATUS_FILTERS] });
      expect(query().sort_by.schema).toMatchObject({ type: 'string', enum: [...SORT_ORDER_NAMES] });
    });

    it("gives the DTO's own defaults", () => {
      const defaults = Object.entries(new ListConversationsQuery());
      expect(defaults.length).toBeGreaterThan(0);
      for (const [name, value] of defaults) expect([name, (query()[name].schema as SchemaObject).default]).toEqual([name, value]);
    });

    it('types page and the ids as integers, labels as a list of strings', () => {
      for (const name of ['page', 'inbox_id', 'team_id']) expect((query()[name].schema as SchemaObject).type).toBe('integer');
      expect(query().labels.schema).toMatchObject({ type: 'array', items: { type: 'string' } });
    });
  });

  describe('POST', () => {
    const body = () => {
      const requestBody = operation('post', LIST).requestBody as { required: boolean; content: Record<string, { schema: ReferenceObject }> };
      expect(requestBody.required).toBe(true);
      return schemaNamed(requestBody.content['application/json'].schema);
    };

    it('takes a body with every property of CreateConversationBody', () => {
      expect(Object.keys(body().properties!).sort()).toEqual(validatedProperties(CreateConversationBody));
      expect((body().properties!.status as SchemaObject).enum).toEqual([...CONVERSATION_STATUSES]);
    });

    it('takes ids as integers or numeric strings', () => {
      for (const name of ['inbox_id', 'contact_id', 'assignee_id', 'team_id']) {
        const [integer, text] = (body().properties![name] as SchemaObject).oneOf as SchemaObject[];
        expect(integer.type).toBe('integer');
        expect(text.type).toBe('string');
        expect(new RegExp(text.pattern!).test('42')).toBe(true);
        expect(new RegExp(text.pattern!).test('4x')).toBe(false);
      }
    });

    it('gives status no default, which generators would read as "always present"; the text says it', () => {
      expect(body().properties!.status).not.toHaveProperty('default');
      expect((body().properties!.status as SchemaObject).description).toMatch(/open/);
    });

    it('declares the attribute objects free-form', () => {
      for (const name of ['additional_attributes', 'custom_attributes']) expect(body().properties![name]).toMatchObject({ type: 'object', additionalProperties: true });
    });

    it('describes the first message', () => {
      const message = body().properties!.message as SchemaObject;
      expect(schemaNamed(message.allOf![0])).toMatchObject({ required: ['content'], properties: { content: { type: 'string' } } });
    });

    it('takes an optional Idempotency-Key header; the GETs do not', () => {
      expect(parameters('post', LIST, 'header')).toEqual({
        'Idempotency-Key': expect.objectContaining({ required: false, schema: expect.objectContaining({ maxLength: MAX_IDEMPOTENCY_KEY_LENGTH }) }),
      });
      expect(parameters('get', LIST, 'header')).toEqual({});
      expect(parameters('get', META, 'header')).toEqual({});
    });
  });

  describe('responses', () => {
    it('are the reply schemas shared with the AsyncAPI document', () => {
      expect(responseSchema('get', LIST, '200')).toEqual({ $ref: '#/components/schemas/ConversationList' });
      expect(responseSchema('get', META, '200')).toEqual({ $ref: '#/components/schemas/ConversationMeta' });
      expect(responseSchema('post', LIST, '200')).toEqual({ $ref: '#/components/schemas/Conversation' });
      for (const name of ['Conversation', 'Message', 'ConversationCounts', 'ConversationMeta', 'ConversationList'] as const) {
        expect(document.components!.schemas![name]).toEqual(ReplySchemas[name]);
      }
    });

    it.each(OPERATIONS)('%s %s documents each error status of SPEC 4.4 with its body', (method, path) => {
      const statuses = Object.keys(operation(method, path).responses).filter((status) => status !== '200');
      expect(statuses.sort()).toEqual(ERROR_STATUSES[method]);
      for (const status of statuses) {
        expect([status, responseSchema(method, path, status)]).toEqual([status, { $ref: `#/components/schemas/${ERROR_BODY[status] ?? 'GenericError'}` }]);
      }
    });

    it.each(OPERATIONS)('%s %s declares X-Request-Id on every response, and Retry-After on the 429', (method, path) => {
      const responses = operation(method, path).responses as Record<string, { headers?: Record<string, { schema: SchemaObject }> }>;
      for (const [status, response] of Object.entries(responses)) {
        expect([status, Object.keys(response.headers ?? {})]).toEqual([status, status === '429' ? ['X-Request-Id', 'Retry-After'] : ['X-Request-Id']]);
      }
      expect(responses['429'].headers!['Retry-After'].schema).toMatchObject({ type: 'integer' });
    });

    it('declares the attribute objects of a <conversation> free-form', () => {
      const conversation = document.components!.schemas!.Conversation as SchemaObject;
      const sender = ((conversation.properties!.meta as SchemaObject).properties!.sender as SchemaObject).properties!;
      for (const attributes of [conversation.properties!, sender]) {
        for (const name of ['additional_attributes', 'custom_attributes']) expect(attributes[name]).toEqual({ type: 'object', additionalProperties: true });
      }
    });

    it('gives the error bodies of SPEC 4.4', () => {
      const schemas = document.components!.schemas! as Record<string, SchemaObject>;
      expect(schemas.BadRequestError).toMatchObject({ required: ['description', 'errors'], properties: { errors: { items: { required: ['field', 'message', 'code'] } } } });
      expect(schemas.GenericError).toMatchObject({ required: ['error'] });
      expect(schemas.UnprocessableEntityError).toMatchObject({ required: ['message', 'attributes'] });
    });
  });

  describe('security', () => {
    it('has a scheme for each way to send the token', () => {
      expect(document.components!.securitySchemes).toEqual({
        api_access_token: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'api_access_token' }),
        'api-access-token': expect.objectContaining({ type: 'apiKey', in: 'header', name: 'api-access-token' }),
        bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      });
    });

    it.each(OPERATIONS)('lets %s %s use any one of them', (method, path) => {
      expect(operation(method, path).security).toEqual([{ api_access_token: [] }, { 'api-access-token': [] }, { bearer: [] }]);
    });
  });
});
