import type { FastifyRequest } from 'fastify';
import { accessTokenOf } from './access-token.js';

const headers = (values: Record<string, string | string[] | undefined>) => values as FastifyRequest['headers'];

describe('accessTokenOf', () => {
  it('reads api_access_token', () => {
    expect(accessTokenOf(headers({ api_access_token: 'tok-ann' }))).toBe('tok-ann');
  });

  it('reads api-access-token (proxies drop headers with underscores)', () => {
    expect(accessTokenOf(headers({ 'api-access-token': 'tok-ann' }))).toBe('tok-ann');
  });

  it('reads Authorization: Bearer, case-insensitively', () => {
    expect(accessTokenOf(headers({ authorization: 'Bearer tok-ann' }))).toBe('tok-ann');
    expect(accessTokenOf(headers({ authorization: 'bearer tok-ann' }))).toBe('tok-ann');
    expect(accessTokenOf(headers({ authorization: 'BEARER tok-ann' }))).toBe('tok-ann');
    expect(accessTokenOf(headers({ authorization: 'Bearer    tok-ann  ' }))).toBe('tok-ann');
  });

  it('ignores other Authorization schemes', () => {
    expect(accessTokenOf(headers({ authorization: 'Basic dXNlcjpwYXNz' }))).toBeNull();
    expect(accessTokenOf(headers({ authorization: 'tok-ann' }))).toBeNull();
    expect(accessTokenOf(headers({ authorization: 'Bearertok-ann' }))).toBeNull();
  });

  it('trims the token', () => {
    expect(accessTokenOf(headers({ api_access_token: '  tok-ann \t' }))).toBe('tok-ann');
  });

  it('is null when no token is sent', () => {
    expect(accessTokenOf(headers({}))).toBeNull();
    expect(accessTokenOf(headers({ 'content-type': 'application/json' }))).toBeNull();
  });

  it.each([[''], ['   '], ['\t']])('is null for an empty or blank token %j', (blank) => {
    expect(accessTokenOf(headers({ api_access_token: blank }))).toBeNull();
    expect(accessTokenOf(headers({ 'api-access-token': blank }))).toBeNull();
    expect(accessTokenOf(headers({ authorization: `Bearer ${blank}` }))).toBeNull();
  });

  it('prefers api_access_token, then api-access-token, then Authorization', () => {
    expect(accessTokenOf(headers({ api_access_token: 'a', 'api-access-token': 'b', authorization: 'Bearer c' }))).toBe('a');
    expect(accessTokenOf(headers({ 'api-access-token': 'b', authorization: 'Bearer c' }))).toBe('b');
  });

  it('takes the first of repeated headers', () => {
    expect(accessTokenOf(headers({ api_access_token: ['first', 'second'] }))).toBe('first');
  });
});
