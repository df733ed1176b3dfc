import { createHash } from 'node:crypto';

/**
 * SHA-256 of an access token, hex: the token's identity wherever it is kept (the worker's lookup, the
 * seed, the gateway's rate-limit counters), so the token itself never is. Tokens are stored and looked up only as this digest: an index
 * lookup of the digest reveals nothing about the token, so no constant-time comparison is needed.
 */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
