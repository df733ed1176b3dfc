import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, type ValidationArguments } from 'class-validator';
import {
  ASSIGNEE_TYPES,
  CONVERSATION_TYPES,
  PER_PAGE,
  SORT_ORDER_ALIASES,
  SORT_ORDER_NAMES,
  SORT_ORDERS,
  STATUS_FILTERS,
  UNSUPPORTED_CONVERSATION_TYPES,
  type AssigneeType,
  type ConversationType,
  type SortOrder,
  type StatusFilter,
} from '../enums.js';
import { MAX_SOURCE_ID_LENGTH } from './create-conversation.body.js';
import { ApiIdProperty, IsId } from './decorators.js';
import { ToArray, ToCanonical, ToInteger, ToTrimmedText } from './transforms.js';

/** Largest page number accepted: keeps the row offset an exact integer. */
export const MAX_PAGE = 2_147_483_647;
export const MAX_LABEL_FILTERS = 100;
export const MAX_LABEL_LENGTH = 255;
export const MAX_SEARCH_LENGTH = 200;
/** 30 days: `updated_within` is for catching up after a reconnect, not for paging through history. */
export const MAX_UPDATED_WITHIN_SECONDS = 2_592_000;

/** Chatwoot's defaults (SPEC 4.1): the property initialisers and the OpenAPI document both read them. */
const DEFAULTS = { assignee_type: 'all', status: 'open', statusWithSearch: 'all', page: 1, sort_by: 'last_activity_at_desc' } as const;

/**
 * The status a list is filtered by: the one asked for, else `open`, but `all` for a search (`q`), whose
 * matches Chatwoot looks for in every status.
 */
export function statusFilterOf(query: Pick<ListConversationsQuery, 'status' | 'q'>): StatusFilter {
  return query.status ?? (query.q === undefined ? DEFAULTS.status : DEFAULTS.statusWithSearch);
}

const conversationTypeMessage = ({ value }: ValidationArguments): string =>
  (UNSUPPORTED_CONVERSATION_TYPES as readonly unknown[]).includes(value)
    ? `conversation_type=${String(value)} is not supported here: this service keeps no mentions or participants (only ${CONVERSATION_TYPES.join(', ')})`
    : `conversation_type must be one of: ${CONVERSATION_TYPES.join(', ')}`;

/**
 * Query of GET /api/v1/accounts/{account_id}/conversations (and /meta), SPEC 4.1. Every parameter
 * has Chatwoot's default, so `{}` is a valid query. Used as the `query` of the list and meta messages.
 */
export class ListConversationsQuery {
  @ApiPropertyOptional({
    enum: ASSIGNEE_TYPES,
    default: DEFAULTS.assignee_type,
    description: '`me`: assigned to the caller; `unassigned`: no agent assigned; `assigned`: some agent; `all`: no filter. The four counts ignore it.',
  })
  @IsOptional()
  @IsIn(ASSIGNEE_TYPES, { message: `assignee_type must be one of: ${ASSIGNEE_TYPES.join(', ')}` })
  assignee_type: AssigneeType = DEFAULTS.assignee_type;

  @ApiPropertyOptional({
    enum: STATUS_FILTERS,
    // No `default` in the schema: it depends on q.
    description: '`all` applies no status filter. Defaults to `open`, or to `all` when `q` is given (a search spans every status).',
  })
  @IsOptional()
  @IsIn(STATUS_FILTERS, { message: `status must be one of: ${STATUS_FILTERS.join(', ')}` })
  status?: StatusFilter;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE,
    default: DEFAULTS.page,
    description: `${PER_PAGE} conversations a page; a page past the end has an empty payload.`,
  })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'page must be an integer' })
  @Min(1, { message: 'page must be 1 or more' })
  @Max(MAX_PAGE, { message: `page must be ${MAX_PAGE} or less` })
  page: number = DEFAULTS.page;

  @ApiIdProperty("Only this inbox. One that does not exist, or that the caller can't see, gives an empty list.", 'query')
  @IsOptional()
  @IsId()
  inbox_id?: number;

  @ApiIdProperty('Only this team. A team of another account is 404.', 'query')
  @IsOptional()
  @IsId()
  team_id?: number;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: MAX_LABEL_LENGTH },
    maxItems: MAX_LABEL_FILTERS,
    description: 'Conversations carrying any of these labels. Sent as `labels[]=a&labels[]=b`, `labels=a&labels=b` or `labels=a`.',
  })
  @IsOptional()
  @ToArray()
  @ArrayMaxSize(MAX_LABEL_FILTERS, { message: `labels takes at most ${MAX_LABEL_FILTERS} values` })
  @IsString({ each: true, message: 'labels must be a list of strings' })
  @MaxLength(MAX_LABEL_LENGTH, { each: true, message: `each label must be at most ${MAX_LABEL_LENGTH} characters` })
  labels?: string[];

  @ApiPropertyOptional({
    enum: SORT_ORDER_NAMES,
    default: DEFAULTS.sort_by,
    description: `\`X_desc\`: by X descending, then by id descending; \`X_asc\`: by X ascending, then by id ascending. Priority ranks low < medium < high < urgent; conversations without a priority (or without waiting_since) come last either way. Chatwoot's older names are accepted too: ${Object.entries(
      SORT_ORDER_ALIASES,
    )
      .map(([alias, order]) => `\`${alias}\` = \`${order}\``)
      .join(', ')}.`,
  })
  @IsOptional()
  @ToCanonical(SORT_ORDER_ALIASES)
  @IsIn(SORT_ORDERS, { message: `sort_by must be one of: ${SORT_ORDER_NAMES.join(', ')}` })
  sort_by: SortOrder = DEFAULTS.sort_by;

  @ApiPropertyOptional({
    enum: CONVERSATION_TYPES,
    description:
      "`unattended`: conversations nobody has answered yet (no first reply) or whose contact waits for an answer (waiting_since set), Chatwoot's rule. Chatwoot's `mention` and `participating` need mentions and participants, which this service does not keep: they are a 400, never an unfiltered list.",
  })
  @IsOptional()
  @IsIn(CONVERSATION_TYPES, { message: conversationTypeMessage })
  conversation_type?: ConversationType;

  @ApiPropertyOptional({
    type: 'string',
    minLength: 1,
    maxLength: MAX_SEARCH_LENGTH,
    description:
      "Only conversations with an incoming or outgoing message (not a private note, not an activity) whose content contains this text, case-insensitively (Chatwoot's `ILIKE '%q%'`; `%` and `_` match themselves). Trimmed; empty means no search. With `q`, `status` defaults to `all`.",
  })
  @IsOptional()
  @ToTrimmedText()
  @IsString({ message: 'q must be text' })
  @MaxLength(MAX_SEARCH_LENGTH, { message: `q must be at most ${MAX_SEARCH_LENGTH} characters` })
  q?: string;

  @ApiPropertyOptional({
    type: 'string',
    minLength: 1,
    maxLength: MAX_SOURCE_ID_LENGTH,
    description: 'Only conversations of the contact_inbox with this source_id (in any inbox of the account).',
  })
  @IsOptional()
  @IsString({ message: 'source_id must be text' })
  @Length(1, MAX_SOURCE_ID_LENGTH, { message: `source_id must be 1 to ${MAX_SOURCE_ID_LENGTH} characters` })
  source_id?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_UPDATED_WITHIN_SECONDS,
    description:
      'Only conversations updated within the last N seconds. Unlike Chatwoot, which then answers every match on one page, pages still apply: `total_pages` says how many there are, so no answer is unbounded.',
  })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'updated_within must be an integer number of seconds' })
  @Min(1, { message: 'updated_within must be 1 or more' })
  @Max(MAX_UPDATED_WITHIN_SECONDS, { message: `updated_within must be ${MAX_UPDATED_WITHIN_SECONDS} (30 days) or less` })
  updated_within?: number;
}
