import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
import { ApiIdProperty, IsId } from './decorators.js';

export const MAX_SOURCE_ID_LENGTH = 255;
/** Chatwoot's limit on a message's content. */
export const MAX_MESSAGE_LENGTH = 150_000;

/** The optional first message of a new conversation (created outgoing). */
export class CreateMessageBody {
  @ApiProperty({ type: 'string', maxLength: MAX_MESSAGE_LENGTH, example: 'We are on it' })
  @IsString({ message: 'message.content must be a string' })
  @MaxLength(MAX_MESSAGE_LENGTH)
  content: string;
}

/** `additional_attributes` and `custom_attributes`: any JSON object, stored as given. */
const FREE_FORM = {
  type: 'object',
  additionalProperties: true,
  description: "Stored as given; a string or integer value beyond Chatwoot's limits is 422.",
} as const;

/** Lookup by source_id alone is allowed; without it both inbox_id and contact_id are required. */
const needsInboxAndContact = (body: CreateConversationBody) => body.source_id === undefined || body.source_id === null;

/**
 * Body of POST /api/v1/accounts/{account_id}/conversations, SPEC 4.2, and the `body` of the
 * conversations.create message. Ids may be integers or numeric strings.
 */
export class CreateConversationBody {
  @ApiPropertyOptional({
    type: 'string',
    minLength: 1,
    maxLength: MAX_SOURCE_ID_LENGTH,
    description:
      "The contact's id in the inbox (its contact_inbox). With inbox_id and contact_id, the contact_inbox is found or created (a UUID is generated when absent); alone, it is looked up within the account (and inbox_id, if given): not found is 404, held by another contact is 422.",
    example: 'crm-4711',
  })
  @IsOptional()
  @IsString({ message: 'source_id must be a string' })
  @IsNotEmpty({ message: 'source_id must not be empty' })
  @MaxLength(MAX_SOURCE_ID_LENGTH)
  source_id?: string;

  @ValidateIf((body: CreateConversationBody) => needsInboxAndContact(body) || (body.inbox_id !== undefined && body.inbox_id !== null))
  @ApiIdProperty('Inbox of the account; required without source_id.')
  @IsDefined({ message: 'inbox_id is required when source_id is not given' })
  @IsId()
  inbox_id?: number;

  @ValidateIf((body: CreateConversationBody) => needsInboxAndContact(body) || (body.contact_id !== undefined && body.contact_id !== null))
  @ApiIdProperty('Contact of the account; required without source_id.')
  @IsDefined({ message: 'contact_id is required when source_id is not given' })
  @IsId()
  contact_id?: number;

  @ApiPropertyOptional({ ...FREE_FORM, description: `e.g. browser information. ${FREE_FORM.description}`, example: { browser: 'Firefox' } })
  @IsOptional()
  @IsObject({ message: 'additional_attributes must be an object' })
  additional_attributes?: Record<string, unknown>;

  @ApiPropertyOptional(FREE_FORM)
  @IsOptional()
  @IsObject({ message: 'custom_attributes must be an object' })
  custom_attributes?: Record<string, unknown>;

  // No `default` keyword: generators (openapi-typescript) would type the field as always present.
  @ApiPropertyOptional({ enum: CONVERSATION_STATUSES, description: 'open when not given.' })
  @IsOptional()
  @IsIn(CONVERSATION_STATUSES, { message: `status must be one of: ${CONVERSATION_STATUSES.join(', ')}` })
  status?: ConversationStatus;

  @ApiIdProperty('A user who is a member of the account (else 422).')
  @IsOptional()
  @IsId()
  assignee_id?: number;

  @ApiIdProperty('A team of the account (else 404).')
  @IsOptional()
  @IsId()
  team_id?: number;

  @ApiPropertyOptional({ type: 'string', format: 'date-time', description: 'Kept only when status is snoozed.', example: '2026-01-01T09:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'snoozed_until must be an ISO-8601 date-time' })
  snoozed_until?: string;

  @ApiPropertyOptional({ type: () => CreateMessageBody, description: 'A first message, created outgoing in the same transaction.' })
  @IsOptional()
  @IsObject({ message: 'message must be an object with a content' })
  @ValidateNested()
  @Type(() => CreateMessageBody)
  message?: CreateMessageBody;
}
