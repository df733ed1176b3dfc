import { Injectable } from '@nestjs/common';
import { ROLES, tokenDigest } from '#app/contracts';
import { DataSource } from 'typeorm';
import { ForbiddenError, InvalidTokenError, NotFoundError } from '../errors.js';
import type { Caller } from './caller.js';

interface TokenRow {
  user_id: number | null;
  agent_bot_id: number | null;
  bot_account_id: number | null;
  account_exists: boolean;
  role: number | null;
}

/** One statement: the token's owner, whether the account exists, and the owner's role in it. */
const AUTHENTICATE_SQL = `
  SELECT t.user_id, t.agent_bot_id, b.account_id AS bot_account_id,
         EXISTS (SELECT 1 FROM accounts a WHERE a.id = $2::bigint) AS account_exists,
         (SELECT au.role FROM account_users au WHERE au.user_id = t.user_id AND au.account_id = $2::bigint) AS role
    FROM access_tokens t
    LEFT JOIN agent_bots b ON b.id = t.agent_bot_id
   WHERE t.token_digest = $1`;

/** Authentication and account membership (SPEC 4: 401, then 404 for the account, then 403). */
@Injectable()
export class AccessService {
  constructor(private readonly dataSource: DataSource) {}

  async callerFor(token: string, accountId: number): Promise<Caller> {
    const rows: TokenRow[] = await this.dataSource.query(AUTHENTICATE_SQL, [tokenDigest(token), accountId]);
    const row = rows[0];
    if (!row) throw new InvalidTokenError('unknown access token');
    if (!row.account_exists) throw new NotFoundError(`account ${accountId}`);
    if (row.agent_bot_id !== null) {
      if (row.bot_account_id !== accountId) throw new ForbiddenError('This agent bot does not belong to the account.');
      return { kind: 'bot', botId: row.agent_bot_id, accountId };
    }
    if (row.role === null || row.user_id === null) throw new ForbiddenError('You are not a member of this account.');
    return { kind: 'user', userId: row.user_id, accountId, role: ROLES[row.role] ?? 'agent' };
  }
}
