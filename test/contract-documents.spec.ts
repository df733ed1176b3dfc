/**
 * The OpenAPI document of the HTTP API and the AsyncAPI document of the queue describe the same DTOs:
 * they must give every field the same type (an id an integer or a numeric string in a create body in
 * both, snoozed_until a date-time in both...).
 */
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject, ParameterObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { asyncApiDocument } from '../apps/cli/src/asyncapi/asyncapi-document.js';
import { ConversationsController } from '../apps/gateway/src/conversations.controller.js';
import { openApiDocument } from '../apps/gateway/src/http/openapi.js';
import { ConversationsRpc } from '../apps/gateway/src/rpc/conversations-rpc.client.js';

const LIST = '/api/v1/accounts/{account_id}/conversations';

let app: NestFastifyApplication;
let openApi: OpenAPIObject;
let asyncApiSchemas: Record<string, any>;

beforeAll(async () => {
  const moduleRef = await Test.createTestingModule({
    controllers: [ConversationsController],
    providers: [{ provide: ConversationsRpc, useValue: {} }],
  }).compile();
  app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
  openApi = openApiDocument(app);
  asyncApiSchemas = ((await asyncApiDocument()).components as { schemas: Record<string, any> }).schemas;
});

afterAll(() => app.close());

describe('the OpenAPI and AsyncAPI documents', () => {
  it.each(['CreateConversationBody', 'CreateMessageBody'])('give %s the same schema', (name) => {
    expect(asyncApiSchemas[name]).toEqual(openApi.components!.schemas![name]);
  });

  it('give each list query parameter the same schema', () => {
    const parameters = (openApi.paths[LIST].get!.parameters as ParameterObject[]).filter((p) => p.in === 'query');
    const properties = asyncApiSchemas.ListConversationsQuery.properties as Record<string, Record<string, unknown>>;
    expect(parameters.map((p) => p.name).sort()).toEqual(Object.keys(properties).sort());
    for (const parameter of parameters) {
      const { description, ...schema } = properties[parameter.name];
      expect([parameter.name, parameter.schema, parameter.description]).toEqual([parameter.name, schema, description]);
    }
  });

  it.each(['Conversation', 'Message', 'ConversationCounts', 'ConversationMeta', 'ConversationList'])('give the reply %s the same schema', (name) => {
    expect(asyncApiSchemas[name]).toEqual(openApi.components!.schemas![name]);
  });
});
