/**
 * A TypeScript client of the HTTP API, typed by types generated from the gateway's OpenAPI document
 * (openapi-typescript) and calling it with openapi-fetch: nothing here is written by hand but the calls.
 *
 *   npx openapi-typescript http://localhost:3000/docs/openapi.json -o examples/typescript/api.d.ts
 *   npx tsc -p examples/typescript && node examples/typescript/client.js      (with `npm run demo` running)
 *   BASE_URL=... TOKEN=... ACCOUNT_ID=... INBOX_ID=... CONTACT_ID=... node examples/typescript/client.js
 *
 * It prints one JSON line per call.
 */
import { randomUUID } from 'node:crypto';
import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

type CreateBody = components['schemas']['CreateConversationBody'];

const BASE_URL = process.env.BASE_URL ?? 'http://localhost:3000';
const TOKEN = process.env.TOKEN ?? 'demo-admin-ada';
const ACCOUNT_ID = Number(process.env.ACCOUNT_ID ?? 1);
const INBOX_ID = Number(process.env.INBOX_ID ?? 1);
const CONTACT_ID = Number(process.env.CONTACT_ID ?? 3);
const MARKER = process.env.MARKER ?? randomUUID();

const CONVERSATIONS = '/api/v1/accounts/{account_id}/conversations';

/** The README's example bodies, as they are: they compile, for every field but the ids is optional. */
const README_EXAMPLE: CreateBody = { inbox_id: 1, contact_id: 3, status: 'pending', message: { content: 'We are on it' } };
export const README_SOURCE_ID_EXAMPLE: CreateBody = { source_id: 'c3-api' };

const say = (step: string, fields: Record<string, unknown>) => console.log(JSON.stringify({ step, ...fields }));

const api = createClient<paths>({ baseUrl: BASE_URL, headers: { api_access_token: TOKEN } });

const listed = await api.GET(CONVERSATIONS, { params: { path: { account_id: ACCOUNT_ID }, query: { status: 'all', sort_by: 'created_at_desc' } } });
if (listed.data) {
  const { meta, payload } = listed.data.data;
  say('list', { status: listed.response.status, all_count: meta.all_count, per_page: meta.per_page, ids: payload.map((c) => c.id) });
} else {
  say('list', { status: listed.response.status, error: listed.error });
}

const body: CreateBody = { ...README_EXAMPLE, inbox_id: INBOX_ID, contact_id: CONTACT_ID, custom_attributes: { marker: MARKER } };
const created = await api.POST(CONVERSATIONS, {
  params: { path: { account_id: ACCOUNT_ID }, header: { 'Idempotency-Key': `example-${MARKER}` } },
  body,
});
if (created.data) {
  const conversation = created.data;
  // Free-form attribute objects read without a cast.
  say('create', {
    status: created.response.status,
    request_id: created.response.headers.get('x-request-id'),
    id: conversation.id,
    account_id: conversation.account_id,
    conversation_status: conversation.status,
    marker: conversation.custom_attributes.marker,
    contact_attributes: conversation.meta.sender.additional_attributes,
    first_message: conversation.messages[0]?.content ?? null,
  });
} else {
  say('create', { status: created.response.status, error: created.error });
}

// Errors are typed too: a 400 body is {description, errors}, the others {error}.
const missing = await api.GET(CONVERSATIONS, { params: { path: { account_id: 987_654_321 } } });
const problem = missing.error;
say('unknown_account', { status: missing.response.status, error: problem && 'error' in problem ? problem.error : null });
