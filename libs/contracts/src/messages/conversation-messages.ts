import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CreateConversationBody } from '../dto/create-conversation.body.js';
import { ListConversationsQuery } from '../dto/list-conversations.query.js';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** What every message carries: who is calling, on which account. */
abstract class AccountScopedMessage {
  @IsString({ message: 'api_access_token must be a string' })
  @IsNotEmpty({ message: 'api_access_token must not be empty' })
  api_access_token: string; // any length: a token that is no token is a 401, not a malformed request

  @IsInt({ message: 'account_id must be an integer' })
  @Min(1, { message: 'account_id must be 1 or more' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'account_id is out of range' })
  account_id: number;
}

/** `conversations.list` and `conversations.meta` (SPEC 5). */
export class ListConversationsMessage extends AccountScopedMessage {
  @IsOptional()
  @IsObject({ message: 'query must be an object' })
  @ValidateNested()
  @Type(() => ListConversationsQuery)
  query: ListConversationsQuery = new ListConversationsQuery();
}

/** `conversations.create` (SPEC 5), as RPC or as an event. */
export class CreateConversationMessage extends AccountScopedMessage {
  @IsOptional()
  @IsString({ message: 'idempotency_key must be a string' })
  @IsNotEmpty({ message: 'idempotency_key must not be empty' })
  @MaxLength(MAX_IDEMPOTENCY_KEY_LENGTH)
  idempotency_key?: string;

  @IsDefined({ message: 'body is required' })
  @IsObject({ message: 'body must be an object' })
  @ValidateNested()
  @Type(() => CreateConversationBody)
  body: CreateConversationBody;
}
