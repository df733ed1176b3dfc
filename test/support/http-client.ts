import { e2eEnvironment } from './e2e-environment.js';

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: T;
}

export type TokenHeader = 'api_access_token' | 'api-access-token' | 'bearer';

export interface RequestOptions {
  token?: string;
  tokenHeader?: TokenHeader;
  /** A query string as sent, without `?` (labels[]=a&labels[]=b). */
  query?: string;
  /** A body, sent as JSON. */
  body?: unknown;
  /** A body sent exactly as given (with content-type application/json unless headers say otherwise). */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** One HTTP request to the e2e gateway. */
export async function request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) {
    const header = options.tokenHeader ?? 'api_access_token';
    if (header === 'bearer') headers.authorization = `Bearer ${options.token}`;
    else headers[header] = options.token;
  }
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, options.headers);
  const url = `${e2eEnvironment().baseUrl}${path}${options.query ? `?${options.query}` : ''}`;
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const conversationsPath = (accountId: number | string) => `/api/v1/accounts/${accountId}/conversations`;

/** `{status: 'all', labels: ['a', 'b']}` → `status=all&labels[]=a&labels[]=b`. */
export function queryString(params: Record<string, string | number | string[] | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) parts.push(`${key}[]=${encodeURIComponent(v)}`);
    else parts.push(`${key}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

export const listConversations = (token: string | undefined, accountId: number, params: Record<string, string | number | string[] | undefined> = {}, options: RequestOptions = {}) =>
  request('GET', conversationsPath(accountId), { token, query: queryString(params), ...options });

export const conversationsMeta = (token: string | undefined, accountId: number, params: Record<string, string | number | string[] | undefined> = {}, options: RequestOptions = {}) =>
  request('GET', `${conversationsPath(accountId)}/meta`, { token, query: queryString(params), ...options });

export const createConversation = (token: string | undefined, accountId: number, body: unknown, options: RequestOptions = {}) =>
  request('POST', conversationsPath(accountId), { token, body, ...options });

/** Every page of a list, in order, until an empty page. */
export async function listAllIds(token: string, accountId: number, params: Record<string, string | number | string[] | undefined> = {}): Promise<number[]> {
  const ids: number[] = [];
  for (let page = 1; page < 100; page++) {
    const res = await listConversations(token, accountId, { ...params, page });
    if (res.status !== 200) throw new Error(`page ${page}: HTTP ${res.status} ${res.text}`);
    const payload = res.json.data.payload as { id: number }[];
    if (payload.length === 0) break;
    ids.push(...payload.map((c) => c.id));
  }
  return ids;
}
