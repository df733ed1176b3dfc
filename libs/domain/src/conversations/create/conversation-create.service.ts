import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainEvents, type ConversationJson, type CreateConversationBody } from '#app/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessService } from '../../access/access.service.js';
import { inboxScopedUserId, type Caller } from '../../access/caller.js';
import { ForbiddenError, NotFoundError, RuleViolationError } from '../../errors.js';
import { conversationCreatedEvent } from '../../events/conversation-created.event.js';
import { OutboxService } from '../../events/outbox.service.js';
import { renderConversation } from '../render/conversation.renderer.js';
import { SELECT_CONVERSATION_BY_ID_SQL, type ConversationRow } from '../sql/conversation-select.js';
import { statusCode } from '../sql/status-codes.js';
import { attributeLimitViolations } from './attribute-limits.js';
import { requestDigest } from './request-digest.js';

export interface CreateConversationCommand {
  token: string;
  accountId: number;
  body: CreateConversationBody;
  /** Idempotency-Key header, data.idempotency_key, or an event's message id. */
  idempotencyKey?: string;
}

/** Where the conversation goes, once the lookup rules of SPEC 4.2 have run. */
interface Target {
  inboxId: number;
  contactId: number;
  /** The existing contact_inbox (lookup by source_id), or null: find or create it for `sourceId`. */
  contactInboxId: number | null;
  sourceId: string;
}

interface KeyRow {
  request_digest: string;
  conversation_id: string | null;
}

/** How long an idempotency key holds (SPEC 4.2). */
const KEY_LIFETIME = `interval '24 hours'`;

const FIND_KEY_SQL = `SELECT request_digest, conversation_id FROM idempotency_keys
   WHERE account_id = $1 AND key = $2 AND created_at > now() - ${KEY_LIFETIME}`;

/**
 * Claims a key, or finds who holds it. A concurrent holder makes this wait on the primary key until it
 * commits (then nothing is returned) or rolls back (then the key is ours). An expired key is taken over.
 */
const CLAIM_KEY_SQL = `INSERT INTO idempotency_keys (account_id, key, request_digest) VALUES ($1, $2, $3)
  ON CONFLICT (account_id, key) DO UPDATE SET request_digest = EXCLUDED.request_digest, conversation_id = NULL, created_at = now()
   WHERE idempotency_keys.created_at <= now() - ${KEY_LIFETIME}
  RETURNING 1`;

/**
 * Display ids are handed out by a short statement of their own, so creates never queue on each other's
 * transactions, from a counter row of their own, not the account row every request reads. An account
 * without a counter yet (created by other means) starts above its highest display id.
 */
const NEXT_DISPLAY_ID_SQL = `INSERT INTO account_display_ids AS d (account_id, last_display_id)
    VALUES ($1, (SELECT COALESCE(max(display_id), 0) + 1 FROM conversations WHERE account_id = $1))
  ON CONFLICT (account_id) DO UPDATE SET last_display_id = d.last_display_id + 1
  RETURNING last_display_id`;

const FIND_INBOX_AND_CONTACT_SQL = `SELECT
    (SELECT i.id FROM inboxes i WHERE i.id = $1::bigint AND i.account_id = $3::bigint) AS inbox_id,
    (SELECT ct.id FROM contacts ct WHERE ct.id = $2::bigint AND ct.account_id = $3::bigint) AS contact_id`;

/** source_id is unique per inbox only: within the account the oldest contact_inbox wins. */
const FIND_SOURCE_SQL = `SELECT ci.id, ci.contact_id, ci.inbox_id FROM contact_inboxes ci
    JOIN inboxes i ON i.id = ci.inbox_id
   WHERE ci.source_id = $1 AND i.account_id = $2::bigint AND ($3::bigint IS NULL OR ci.inbox_id = $3::bigint)
   ORDER BY ci.id LIMIT 1`;

const CHECK_REFERENCES_SQL = `SELECT
    ($1::bigint IS NULL OR EXISTS (SELECT 1 FROM teams WHERE id = $1::bigint AND account_id = $4::bigint)) AS team_found,
    ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM account_users WHERE user_id = $2::bigint AND account_id = $4::bigint)) AS assignee_found,
    ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM inbox_members WHERE user_id = $3::bigint AND inbox_id = $5::bigint)) AS inbox_allowed`;

const INSERT_CONTACT_INBOX_SQL = `INSERT INTO contact_inboxes (contact_id, inbox_id, source_id) VALUES ($1, $2, $3)
  ON CONFLICT (inbox_id, source_id) DO NOTHING RETURNING id`;
const FIND_CONTACT_INBOX_SQL = 'SELECT id, contact_id FROM contact_inboxes WHERE inbox_id = $1 AND source_id = $2';

const INSERT_CONVERSATION_SQL = `INSERT INTO conversations
    (account_id, display_id, uuid, inbox_id, contact_id, contact_inbox_id, status, assignee_id, team_id,
     additional_attributes, custom_attributes, snoozed_until, waiting_since, first_reply_created_at,
     created_at, updated_at, last_activity_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
     CASE WHEN $13::boolean THEN NULL ELSE now() END, CASE WHEN $13::boolean THEN now() END, now(), now(), now())
  RETURNING id`;

const INSERT_MESSAGE_SQL = `INSERT INTO messages (account_id, inbox_id, conversation_id, content, message_type, sender_type, sender_id)
  VALUES ($1, $2, $3, $4, 1, $5, $6)`;

const SET_KEY_CONVERSATION_SQL = 'UPDATE idempotency_keys SET conversation_id = $3 WHERE account_id = $1 AND key = $2';

const PURGE_EXPIRED_KEYS_SQL = `DELETE FROM idempotency_keys WHERE created_at <= now() - ${KEY_LIFETIME}`;

/** Creating a conversation (SPEC 4.2): lookups, rules, idempotency, one transaction with its event. */
@Injectable()
export class ConversationCreateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly outbox: OutboxService,
  ) {}

  async create(command: CreateConversationCommand): Promise<ConversationJson> {
    const { accountId, body, idempotencyKey } = command;
    const caller = await this.access.callerFor(command.token, accountId);
    const target = await this.resolveTarget(caller, body);
    await this.checkReferences(caller, body, target.inboxId);
    const tooLong = [
      ...attributeLimitViolations(body.additional_attributes ?? {}, 'additional_attributes'),
      ...attributeLimitViolations(body.custom_attributes ?? {}, 'custom_attributes'),
    ];
    if (tooLong.length) throw new RuleViolationError('Attribute values exceed the allowed length or size', tooLong);

    const digest = idempotencyKey === undefined ? '' : requestDigest(body);
    if (idempotencyKey !== undefined) {
      const [seen] = await this.dataSource.query<KeyRow[]>(FIND_KEY_SQL, [accountId, idempotencyKey]);
      if (seen) return this.replay(seen, digest);
    }

    const [{ last_display_id: displayId }] = await this.dataSource.query<{ last_display_id: number }[]>(NEXT_DISPLAY_ID_SQL, [accountId]);
    const outcome = await this.dataSource.transaction(async (manager) => {
      if (idempotencyKey !== undefined) {
        const claimed = await manager.query<unknown[]>(CLAIM_KEY_SQL, [accountId, idempotencyKey, digest]);
        if (claimed.length === 0) {
          const [holder] = await manager.query<KeyRow[]>(FIND_KEY_SQL, [accountId, idempotencyKey]);
          return { replayOf: holder };
        }
      }
      const conversationId = await this.insertConversation(manager, caller, body, target, displayId);
      if (idempotencyKey !== undefined) await manager.query(SET_KEY_CONVERSATION_SQL, [accountId, idempotencyKey, conversationId]);
      // Rendered inside the transaction: the answer and the announced event are the same JSON.
      const conversation = await this.render(conversationId, manager);
      await this.outbox.record(manager, accountId, DomainEvents.conversationCreated, (eventId) =>
        conversationCreatedEvent(conversation, eventId, new Date()),
      );
      return { conversation };
    });
    if ('replayOf' in outcome) return this.replay(outcome.replayOf, digest);
    return outcome.conversation;
  }

  /** Forgets keys past their lifetime (every create has one: its caller's, or its delivery's). */
  async purgeExpiredKeys(): Promise<void> {
    await this.dataSource.query(PURGE_EXPIRED_KEYS_SQL);
  }

  /** The conversation a key already made, if the request is the same one. */
  private async replay(seen: KeyRow | undefined, digest: string): Promise<ConversationJson> {
    if (!seen?.conversation_id) throw new NotFoundError('conversation of the idempotency key');
    if (seen.request_digest !== digest) {
      throw new RuleViolationError('Idempotency-Key was already used with a different request', ['idempotency_key']);
    }
    return this.render(seen.conversation_id);
  }

  private async render(conversationId: string, manager: EntityManager = this.dataSource.manager): Promise<ConversationJson> {
    const [row] = await manager.query<ConversationRow[]>(SELECT_CONVERSATION_BY_ID_SQL, [conversationId]);
    if (!row) throw new NotFoundError(`conversation ${conversationId}`);
    return renderConversation(row);
  }

  /** The lookup rules: inbox + contact (find or create the contact_inbox), else source_id in the account. */
  private async resolveTarget(caller: Caller, body: CreateConversationBody): Promise<Target> {
    const accountId = caller.accountId;
    if (isSet(body.inbox_id) && isSet(body.contact_id)) {
      const [found] = await this.dataSource.query<{ inbox_id: number | null; contact_id: number | null }[]>(FIND_INBOX_AND_CONTACT_SQL, [
        body.inbox_id,
        body.contact_id,
        accountId,
      ]);
      if (found.inbox_id === null) throw new NotFoundError(`inbox ${body.inbox_id}`);
      if (found.contact_id === null) throw new NotFoundError(`contact ${body.contact_id}`);
      return { inboxId: found.inbox_id, contactId: found.contact_id, contactInboxId: null, sourceId: body.source_id ?? randomUUID() };
    }
    const sourceId = body.source_id as string; // the DTO requires it when inbox_id or contact_id is missing
    const [contactInbox] = await this.dataSource.query<{ id: number; contact_id: number; inbox_id: number }[]>(FIND_SOURCE_SQL, [
      sourceId,
      accountId,
      body.inbox_id ?? null,
    ]);
    if (isSet(body.contact_id)) {
      const [found] = await this.dataSource.query<{ contact_id: number | null }[]>(FIND_INBOX_AND_CONTACT_SQL, [null, body.contact_id, accountId]);
      if (found.contact_id === null) throw new NotFoundError(`contact ${body.contact_id}`);
    }
    if (!contactInbox) throw new NotFoundError(`source_id ${sourceId}`);
    if (isSet(body.contact_id) && contactInbox.contact_id !== body.contact_id) {
      throw new RuleViolationError('source_id belongs to another contact', ['source_id']);
    }
    return { inboxId: contactInbox.inbox_id, contactId: contactInbox.contact_id, contactInboxId: contactInbox.id, sourceId };
  }

  /** Team (404), the agent's access to the inbox (403), the assignee's membership (422), in that order. */
  private async checkReferences(caller: Caller, body: CreateConversationBody, inboxId: number): Promise<void> {
    const [checks] = await this.dataSource.query<{ team_found: boolean; assignee_found: boolean; inbox_allowed: boolean }[]>(CHECK_REFERENCES_SQL, [
      body.team_id ?? null,
      body.assignee_id ?? null,
      inboxScopedUserId(caller),
      caller.accountId,
      inboxId,
    ]);
    if (!checks.team_found) throw new NotFoundError(`team ${body.team_id}`);
    if (!checks.inbox_allowed) throw new ForbiddenError('You are not a member of this inbox.');
    if (!checks.assignee_found) throw new RuleViolationError('Assignee is not a member of this account', ['assignee_id']);
  }

  private async insertConversation(manager: EntityManager, caller: Caller, body: CreateConversationBody, target: Target, displayId: number): Promise<string> {
    const contactInboxId = target.contactInboxId ?? (await this.findOrCreateContactInbox(manager, target));
    const status = body.status ?? 'open';
    const sender = caller.kind === 'user' ? { type: 'User', id: caller.userId } : { type: 'AgentBot', id: caller.botId };
    // An agent's first message is a human reply: the conversation is no longer waiting (as Chatwoot).
    const humanReply = body.message !== undefined && caller.kind === 'user';
    const [{ id }] = await manager.query<{ id: string }[]>(INSERT_CONVERSATION_SQL, [
      caller.accountId,
      displayId,
      randomUUID(),
      target.inboxId,
      target.contactId,
      contactInboxId,
      statusCode(status),
      body.assignee_id ?? null,
      body.team_id ?? null,
      body.additional_attributes ?? {},
      body.custom_attributes ?? {},
      status === 'snoozed' && body.snoozed_until ? new Date(body.snoozed_until) : null,
      humanReply,
    ]);
    if (body.message !== undefined) {
      await manager.query(INSERT_MESSAGE_SQL, [caller.accountId, target.inboxId, id, body.message.content, sender.type, sender.id]);
    }
    return id;
  }

  /** The contact_inbox for (inbox, source_id): ours if the contact already has it, 422 if another contact does. */
  private async findOrCreateContactInbox(manager: EntityManager, target: Target): Promise<number> {
    const inserted = await manager.query<{ id: number }[]>(INSERT_CONTACT_INBOX_SQL, [target.contactId, target.inboxId, target.sourceId]);
    if (inserted.length) return inserted[0].id;
    const [existing] = await manager.query<{ id: number; contact_id: number }[]>(FIND_CONTACT_INBOX_SQL, [target.inboxId, target.sourceId]);
    if (existing.contact_id !== target.contactId) throw new RuleViolationError('source_id is already taken by another contact in this inbox', ['source_id']);
    return existing.id;
  }
}

const isSet = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;
