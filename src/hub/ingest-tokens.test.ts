import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config.ts';
import { hashedLine } from '../../test/fixtures/hashed-line.ts';
import { bearerToken, parseTokenFile, tokenBook } from './ingest-tokens.ts';

const secretA = 'a-token-of-laptop-000000';
const secretB = 'b-token-of-desktop-11111';

describe('ingest tokens', () => {
  it('binds each token, given as itself or as its SHA-256, to its machine', () => {
    const book = tokenBook(
      parseTokenFile(`# team hub\nlaptop ${secretA}\n\n${hashedLine('desktop', secretB)}\n`, 'tokens'),
    );
    expect(book.machines).toEqual(['laptop', 'desktop']);
    expect(book.machineOf(secretA)).toBe('laptop');
    expect(book.machineOf(secretB)).toBe('desktop');
    expect(book.machineOf(secretA + 'x')).toBeNull();
    expect(book.machineOf('')).toBeNull();
  });

  it.each([
    ['laptop short', /line 1: the token is shorter than 16/],
    [`laptop ${secretA} extra`, /line 1: expected "<machine> <token>"/],
    [`bad/name ${secretA}`, /"bad\/name" is not a machine name/],
    [`a ${secretA}\na ${secretB}`, /line 2: machine "a" is listed twice/],
    [`a ${secretA}\nb ${secretA}`, /line 2: the same token is given to two machines/],
    ['a sha256:1234', /sha256: must be followed by 64 hex digits/],
    ['# nothing\n', /lists no machine/],
  ])('refuses %j, naming the line and never the token', (text, message) => {
    let error: unknown;
    try {
      parseTokenFile(text, 'tokens');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^CTM_INGEST_TOKENS: /);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(secretA);
    expect((error as Error).message).not.toContain(secretB);
  });

  it('reads the bearer token of an Authorization header', () => {
    expect(bearerToken(`Bearer ${secretA}`)).toBe(secretA);
    expect(bearerToken(`bearer  ${secretA} `)).toBe(secretA);
    expect(bearerToken(`Basic ${secretA}`)).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
