import type { FastifyRequest } from 'fastify';
import { hasBearerToken } from './bearer-token';

const request = (authorization?: string) =>
  ({ headers: { authorization } }) as FastifyRequest;

describe('hasBearerToken', () => {
  it('accepts exactly the expected bearer token', () => {
    expect(hasBearerToken(request('Bearer s3cret'), 's3cret')).toBe(true);
  });

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Bearer s3cre',
    'Bearer s3cret2',
    'Basic s3cret',
    'bearer s3cret',
    's3cret',
  ])('rejects %j', (header) => {
    expect(hasBearerToken(request(header), 's3cret')).toBe(false);
  });
});
