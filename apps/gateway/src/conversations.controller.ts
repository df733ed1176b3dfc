import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  CreateConversationBody,
  ListConversationsQuery,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  Patterns,
  PER_PAGE,
  type ConversationJson,
  type ConversationListReply,
  type ConversationMetaReply,
} from '#app/contracts';
import { AccessToken } from './http/access-token.js';
import { IdempotencyKey } from './http/idempotency-key.js';
import { ApiAccessToken, ApiErrorResponses, ApiOkReply } from './http/openapi.js';
import { RequestId } from './http/request-id.js';
import { AccountIdPipe, DtoPipe } from './http/validation.pipes.js';
import { ConversationsRpc } from './rpc/conversations-rpc.client.js';

/** SPEC 4: each request is checked here, then becomes exactly one RPC message. */
@ApiTags('Conversation')
@ApiAccessToken()
@ApiParam({ name: 'account_id', description: 'The account.', schema: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } })
@Controller('api/v1/accounts/:account_id/conversations')
export class ConversationsController {
  constructor(private readonly rpc: ConversationsRpc) {}

  @Get()
  @ApiOperation({
    operationId: 'conversationList',
    summary: 'Conversations List',
    description:
      `One page (${PER_PAGE}) of the conversations passing the filters, with the four counts (computed over every filter but assignee_type). Administrators see every conversation of the account, agents those of their inboxes.`,
  })
  @ApiOkReply('A page and the counts.', 'ConversationList')
  @ApiErrorResponses(400, 401, 403, 404, 429, 500, 503, 504)
  list(
    @AccessToken() token: string,
    @Param('account_id', AccountIdPipe) accountId: number,
    @Query(new DtoPipe(ListConversationsQuery)) query: ListConversationsQuery,
    @RequestId() requestId: string,
  ): Promise<ConversationListReply> {
    return this.rpc.call(Patterns.list, { api_access_token: token, account_id: accountId, query }, requestId);
  }

  @Get('meta')
  @ApiOperation({
    operationId: 'conversationListMeta',
    summary: 'Conversation Counts',
    description: 'The four counts of the list, with the same filters and visibility rules.',
  })
  @ApiOkReply('The four counts.', 'ConversationMeta')
  @ApiErrorResponses(400, 401, 403, 404, 429, 500, 503, 504)
  meta(
    @AccessToken() token: string,
    @Param('account_id', AccountIdPipe) accountId: number,
    @Query(new DtoPipe(ListConversationsQuery)) query: ListConversationsQuery,
    @RequestId() requestId: string,
  ): Promise<ConversationMetaReply> {
    return this.rpc.call(Patterns.meta, { api_access_token: token, account_id: accountId, query }, requestId);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'newConversation',
    summary: 'Create New Conversation',
    description:
      'Creates a conversation for a contact in an inbox: give inbox_id and contact_id (with or without source_id), or an existing source_id alone. Administrators, agents of the inbox and agent bots of the account may create.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Repeating a key used in this account within 24 hours returns the conversation created the first time and creates nothing; the same key with another body is 422.',
    schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
  })
  @ApiOkReply('The created conversation (or, for a repeated Idempotency-Key, the first one).', 'Conversation')
  @ApiErrorResponses(400, 401, 403, 404, 422, 429, 500, 503, 504)
  create(
    @AccessToken() token: string,
    @Param('account_id', AccountIdPipe) accountId: number,
    @Body(new DtoPipe(CreateConversationBody)) body: CreateConversationBody,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @RequestId() requestId: string,
  ): Promise<ConversationJson> {
    return this.rpc.call(Patterns.create, { api_access_token: token, account_id: accountId, idempotency_key: idempotencyKey, body }, requestId);
  }
}
