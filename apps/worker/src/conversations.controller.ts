import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, RmqContext } from '@nestjs/microservices';
import {
  CreateConversationMessage,
  ErrorReplies,
  ListConversationsMessage,
  Patterns,
  validatePayload,
  type ConversationJson,
  type ConversationListReply,
  type ConversationMetaReply,
} from '#app/contracts';
import { ConversationCreateService, ConversationListService, InvalidRequestError } from '#app/domain';
import type { ClassConstructor } from 'class-transformer';
import type { ConsumeMessage } from 'amqplib';
import { OutboxRelay } from './events/outbox-relay.js';
import { deduplicationKey } from './messaging/deduplication-key.js';
import { MessageSettlement } from './messaging/message-settlement.js';

/** Messages in, domain calls out. Every message is validated again: not all of them come from the gateway. */
@Controller()
export class ConversationsController {
  constructor(
    private readonly lists: ConversationListService,
    private readonly creates: ConversationCreateService,
    private readonly settlement: MessageSettlement,
    private readonly relay: OutboxRelay,
  ) {}

  @MessagePattern(Patterns.list)
  list(@Payload() data: unknown, @Ctx() context: RmqContext): Promise<ConversationListReply | undefined> {
    return this.settlement.settle(context, () => {
      const message = validated(ListConversationsMessage, data);
      return this.lists.list(message.api_access_token, message.account_id, message.query);
    });
  }

  @MessagePattern(Patterns.meta)
  meta(@Payload() data: unknown, @Ctx() context: RmqContext): Promise<ConversationMetaReply | undefined> {
    return this.settlement.settle(context, () => {
      const message = validated(ListConversationsMessage, data);
      return this.lists.meta(message.api_access_token, message.account_id, message.query);
    });
  }

  /** RPC or event; a repeat creates nothing twice (see deduplicationKey). */
  @MessagePattern(Patterns.create)
  create(@Payload() data: unknown, @Ctx() context: RmqContext): Promise<ConversationJson | undefined> {
    return this.settlement.settle(context, async () => {
      const message = validated(CreateConversationMessage, data);
      const idempotencyKey = deduplicationKey(context.getMessage() as ConsumeMessage, message);
      const created = await this.creates.create({ token: message.api_access_token, accountId: message.account_id, body: message.body, idempotencyKey });
      this.relay.nudge(); // its conversation.created event is committed: publish it now
      return created;
    });
  }
}

function validated<T extends object>(cls: ClassConstructor<T>, data: unknown): T {
  const result = validatePayload(cls, data);
  if (!result.ok) throw new InvalidRequestError(ErrorReplies.badRequest(result.errors));
  return result.value;
}
