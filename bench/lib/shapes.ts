/**
 * The shape matrix: every list parameter of the API alone, the usual pairs of them, deep pages and the
 * meta endpoint, as requests on the large synthetic account. Each shape's p50 is held against the
 * default list's p50 of the same run: at most 2 ×, or 5 × for two or more labels, a search (`q`) and
 * pages beyond 1,000.
 */
import { SORT_ORDER_ALIASES, SORT_ORDERS, STATUS_FILTERS, type SortOrder, type StatusFilter } from '#app/contracts';

/** The list parameters a shape sets (the API's names and values). */
export interface ShapeQuery {
  status?: StatusFilter;
  assignee_type?: 'me' | 'unassigned' | 'assigned' | 'all';
  inbox_id?: number;
  team_id?: number;
  labels?: string[];
  sort_by?: string;
  page?: number;
  q?: string;
  conversation_type?: 'unattended';
  source_id?: string;
  updated_within?: number;
}

export interface Shape {
  id: string;
  group: string;
  endpoint: 'list' | 'meta';
  query: ShapeQuery;
  who: 'admin' | 'agent';
  /** Most p50 allowed, as a multiple of the default list's. */
  limit: number;
}

/** What the shapes need to know about the seeded account. */
export interface ShapeFacts {
  conversations: number;
  /** The inbox with the most conversations, and a team, of the large account. */
  busyInbox: number;
  team: number;
  /** A source_id of the account that has conversations. */
  sourceId: string;
  /** A word many synthetic messages contain, and text only one conversation's messages contain. */
  commonText: string;
  rareText: string;
}

/**
 * The default list is measured three times (first, halfway, last): the median of the three p50s is
 * the baseline every shape is held against, and their spread shows how much the machine drifted.
 */
export const DEFAULT_SHAPE = 'default';
export const isBaseline = (id: string) => id === DEFAULT_SHAPE || id.startsWith(`${DEFAULT_SHAPE} (again`);
export const LABEL = 'billing';
export const SECOND_LABEL = 'bug';
const PAGES = [10, 100, 1_000, 10_000];

/** 5 × for the shapes the target allows it, 2 × for every other. */
export function limitFor(query: ShapeQuery): number {
  return (query.labels?.length ?? 0) >= 2 || query.q !== undefined || (query.page ?? 1) > 1_000 ? 5 : 2;
}

export function shapeMatrix(f: ShapeFacts): Shape[] {
  const shapes: Shape[] = [];
  const add = (group: string, id: string, query: ShapeQuery, endpoint: Shape['endpoint'] = 'list', who: Shape['who'] = 'admin') =>
    shapes.push({ id, group, endpoint, query, who, limit: limitFor(query) });

  const baseline = (when: string) => add('baseline', when ? `${DEFAULT_SHAPE} (again, ${when})` : DEFAULT_SHAPE, {});
  baseline('');
  for (const sort of SORT_ORDERS) add('sort_by', `sort_by=${sort}`, { sort_by: sort });
  for (const alias of Object.keys(SORT_ORDER_ALIASES)) add('sort_by (older names)', `sort_by=${alias}`, { sort_by: alias });
  for (const status of STATUS_FILTERS) add('status', `status=${status}`, { status });
  for (const type of ['me', 'unassigned', 'assigned', 'all'] as const) add('assignee_type', `assignee_type=${type}`, { assignee_type: type });
  add('filters', 'inbox_id (busiest inbox)', { inbox_id: f.busyInbox });
  add('filters', 'team_id', { team_id: f.team });
  add('filters', `labels=${LABEL}`, { labels: [LABEL] });
  add('filters', `labels=${LABEL},${SECOND_LABEL}`, { labels: [LABEL, SECOND_LABEL] });
  add('filters', `labels=${LABEL} + status=all`, { labels: [LABEL], status: 'all' });
  add('filters', `q=${f.commonText} (common word)`, { q: f.commonText });
  add('filters', `q=${f.rareText} (one conversation)`, { q: f.rareText });
  add('filters', 'conversation_type=unattended', { conversation_type: 'unattended' });
  add('filters', 'source_id', { source_id: f.sourceId });
  add('filters', 'updated_within=3600', { updated_within: 3600 });
  add('filters', 'updated_within=2592000', { updated_within: 2_592_000 });
  add('two filters', 'inbox_id + label', { inbox_id: f.busyInbox, labels: [LABEL] });
  add('two filters', 'team_id + status=all', { team_id: f.team, status: 'all' });
  add('two filters', `q=${f.commonText} + inbox_id`, { q: f.commonText, inbox_id: f.busyInbox });
  add('two filters', 'unattended + assignee_type=me', { conversation_type: 'unattended', assignee_type: 'me' });
  add('two filters', 'label + sort_by=created_at_asc', { labels: [LABEL], sort_by: 'created_at_asc' });
  baseline('middle');
  for (const page of PAGES) add('pages', `page=${page}`, { page });
  for (const page of [1, ...PAGES]) add('pages', `status=all page=${page}`, { status: 'all', page });
  add('meta', 'meta', {}, 'meta');
  add('meta', `meta labels=${LABEL}`, { labels: [LABEL] }, 'meta');
  add('agent token', 'agent: default', {}, 'list', 'agent');
  add('agent token', 'agent: assignee_type=me', { assignee_type: 'me' }, 'list', 'agent');
  baseline('last');
  return shapes;
}

/** The query string of a shape, as Chatwoot's clients send it. */
export function queryString(query: ShapeQuery): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) for (const v of value) parts.push(`${key}[]=${encodeURIComponent(v)}`);
    else if (value !== undefined) parts.push(`${key}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

export function requestOf(shape: Shape): string {
  return `${shape.endpoint === 'meta' ? '/meta' : ''}${queryString(shape.query)}`;
}

/** The status filter in force: the one given, else `all` with a search and `open` without. */
export const statusOf = (query: ShapeQuery): StatusFilter => query.status ?? (query.q === undefined ? 'open' : 'all');

/** The order in force, older names resolved. */
export const sortOf = (query: ShapeQuery): SortOrder =>
  ((SORT_ORDER_ALIASES as Record<string, SortOrder>)[query.sort_by ?? ''] ?? query.sort_by ?? 'last_activity_at_desc') as SortOrder;
