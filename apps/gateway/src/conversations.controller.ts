import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  CreateConversationBody,
  ListConversationsQuery,
  Patterns,
  type ConversationJson,
  type ConversationListReply,
  type ConversationMetaReply,
} from '#app/contracts';
import { AccessToken } from './http/access-token.js';
import { IdempotencyKey } from './http/idempotency-key.js';
import { AccountIdPipe, DtoPipe } from './http/validation.pipes.js';
import { ConversationsRpc } from './rpc/conversations-rpc.client.js';

/** SPEC 4: each request is checked here, then becomes exactly one RPC message. */
@Controller('api/v1/accounts/:account_id/conversations')
export class ConversationsController {
  constructor(private readonly rpc: ConversationsRpc) {}

  @Get()
  list(
    @AccessToken() token: string,
    @Param('account_id', AccountIdPipe) accountId: number,
    @Query(new DtoPipe(ListConversationsQuery)) query: ListConversationsQuery,
  ): Promise<ConversationListReply> {
    return this.rpc.call(Patterns.list, { api_access_token: token, account_id: accountId, query });
  }

  @Get('meta')
  meta(
    @AccessToken() token: string,
    @Param('account_id', AccountIdPipe) accountId: number,
    @Query(new DtoPipe(ListConversationsQuery)) query: ListConversationsQuery,
  ): Promise<ConversationMetaReply> {
    return this.rpc.call(Patterns.meta, { api_access_token: token, account_id: accountId, query });
  }

  @Post()
  @HttpCode(200)
  create(
    @AccessToken() token: string,
    @Param('account_id', AccountIdPipe) accountId: number,
    @Body(new DtoPipe(CreateConversationBody)) body: CreateConversationBody,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<ConversationJson> {
    return this.rpc.call(Patterns.create, { api_access_token: token, account_id: accountId, idempotency_key: idempotencyKey, body });
  }
}
