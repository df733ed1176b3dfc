import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  ASSIGNEE_TYPES,
  PER_PAGE,
  SORT_ORDERS,
  STATUS_FILTERS,
  type AssigneeType,
  type SortOrder,
  type StatusFilter,
} from '../enums.js';
import { ApiIdProperty, IsId } from './decorators.js';
import { ToArray, ToInteger } from './transforms.js';

/** Largest page number accepted: keeps the row offset an exact integer. */
export const MAX_PAGE = 2_147_483_647;
export const MAX_LABEL_FILTERS = 100;
export const MAX_LABEL_LENGTH = 255;

/** Chatwoot's defaults (SPEC 4.1): the property initialisers and the OpenAPI document both read them. */
const DEFAULTS = { assignee_type: 'all', status: 'open', page: 1, sort_by: 'last_activity_at_desc' } as const;

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

  @ApiPropertyOptional({ enum: STATUS_FILTERS, default: DEFAULTS.status, description: '`all` applies no status filter.' })
  @IsOptional()
  @IsIn(STATUS_FILTERS, { message: `status must be one of: ${STATUS_FILTERS.join(', ')}` })
  status: StatusFilter = DEFAULTS.status;

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
    enum: SORT_ORDERS,
    default: DEFAULTS.sort_by,
    description:
      '`X_desc`: by X descending, then by id descending; `X_asc`: by X ascending, then by id ascending. Priority ranks low < medium < high < urgent; conversations without a priority (or without waiting_since) come last either way.',
  })
  @IsOptional()
  @IsIn(SORT_ORDERS, { message: `sort_by must be one of: ${SORT_ORDERS.join(', ')}` })
  sort_by: SortOrder = DEFAULTS.sort_by;
}
