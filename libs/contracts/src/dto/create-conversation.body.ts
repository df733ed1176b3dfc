import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CONVERSATION_STATUSES, type ConversationStatus } from '../enums.js';
import { IsId } from './decorators.js';

export const MAX_SOURCE_ID_LENGTH = 255;
/** Chatwoot's limit on a message's content. */
export const MAX_MESSAGE_LENGTH = 150_000;

/** The optional first message of a new conversation (created outgoing). */
export class CreateMessageBody {
  @IsString({ message: 'message.content must be a string' })
  @MaxLength(MAX_MESSAGE_LENGTH)
  content: string;
}

/** Lookup by source_id alone is allowed; without it both inbox_id and contact_id are required. */
const needsInboxAndContact = (body: CreateConversationBody) => body.source_id === undefined || body.source_id === null;

/**
 * Body of POST /api/v1/accounts/{account_id}/conversations, SPEC 4.2, and the `body` of the
 * conversations.create message. Ids may be integers or numeric strings.
 */
export class CreateConversationBody {
  @IsOptional()
  @IsString({ message: 'source_id must be a string' })
  @IsNotEmpty({ message: 'source_id must not be empty' })
  @MaxLength(MAX_SOURCE_ID_LENGTH)
  source_id?: string;

  @ValidateIf((body: CreateConversationBody) => needsInboxAndContact(body) || (body.inbox_id !== undefined && body.inbox_id !== null))
  @IsDefined({ message: 'inbox_id is required when source_id is not given' })
  @IsId()
  inbox_id?: number;

  @ValidateIf((body: CreateConversationBody) => needsInboxAndContact(body) || (body.contact_id !== undefined && body.contact_id !== null))
  @IsDefined({ message: 'contact_id is required when source_id is not given' })
  @IsId()
  contact_id?: number;

  @IsOptional()
  @IsObject({ message: 'additional_attributes must be an object' })
  additional_attributes?: Record<string, unknown>;

  @IsOptional()
  @IsObject({ message: 'custom_attributes must be an object' })
  custom_attributes?: Record<string, unknown>;

  @IsOptional()
  @IsIn(CONVERSATION_STATUSES, { message: `status must be one of: ${CONVERSATION_STATUSES.join(', ')}` })
  status?: ConversationStatus;

  @IsOptional()
  @IsId()
  assignee_id?: number;

  @IsOptional()
  @IsId()
  team_id?: number;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'snoozed_until must be an ISO-8601 date-time' })
  snoozed_until?: string;

  @IsOptional()
  @IsObject({ message: 'message must be an object with a content' })
  @ValidateNested()
  @Type(() => CreateMessageBody)
  message?: CreateMessageBody;
}
