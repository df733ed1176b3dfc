import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  ASSIGNEE_TYPES,
  SORT_ORDERS,
  STATUS_FILTERS,
  type AssigneeType,
  type SortOrder,
  type StatusFilter,
} from '../enums.js';
import { IsId } from './decorators.js';
import { ToArray, ToInteger } from './transforms.js';

/** Largest page number accepted: keeps the row offset an exact integer. */
export const MAX_PAGE = 2_147_483_647;
export const MAX_LABEL_FILTERS = 100;
export const MAX_LABEL_LENGTH = 255;

/**
 * Query of GET /api/v1/accounts/{account_id}/conversations (and /meta), SPEC 4.1. Every parameter
 * has Chatwoot's default, so `{}` is a valid query. Used as the `query` of the list and meta messages.
 */
export class ListConversationsQuery {
  @IsOptional()
  @IsIn(ASSIGNEE_TYPES, { message: `assignee_type must be one of: ${ASSIGNEE_TYPES.join(', ')}` })
  assignee_type: AssigneeType = 'all';

  @IsOptional()
  @IsIn(STATUS_FILTERS, { message: `status must be one of: ${STATUS_FILTERS.join(', ')}` })
  status: StatusFilter = 'open';

  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'page must be an integer' })
  @Min(1, { message: 'page must be 1 or more' })
  @Max(MAX_PAGE, { message: `page must be ${MAX_PAGE} or less` })
  page: number = 1;

  @IsOptional()
  @IsId()
  inbox_id?: number;

  @IsOptional()
  @IsId()
  team_id?: number;

  @IsOptional()
  @ToArray()
  @ArrayMaxSize(MAX_LABEL_FILTERS, { message: `labels takes at most ${MAX_LABEL_FILTERS} values` })
  @IsString({ each: true, message: 'labels must be a list of strings' })
  @MaxLength(MAX_LABEL_LENGTH, { each: true, message: `each label must be at most ${MAX_LABEL_LENGTH} characters` })
  labels?: string[];

  @IsOptional()
  @IsIn(SORT_ORDERS, { message: `sort_by must be one of: ${SORT_ORDERS.join(', ')}` })
  sort_by: SortOrder = 'last_activity_at_desc';
}
