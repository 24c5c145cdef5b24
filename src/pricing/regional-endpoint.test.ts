import { describe, expect, it } from 'vitest';
import { isRegionalEndpoint } from './regional-endpoint.ts';

describe('isRegionalEndpoint', () => {
  it.each([
    'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'eu.anthropic.claude-opus-4-6-v1',
    'apac.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'au.anthropic.claude-haiku-4-5-20251001-v1:0',
    'JP.anthropic.claude-sonnet-4-6',
    'anthropic.claude-opus-4-6-v1',
    'bedrock/us.anthropic.claude-opus-5',
    'arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.anthropic.claude-opus-5',
  ])('%s is regional', (name) => {
    expect(isRegionalEndpoint(name)).toBe(true);
  });

  it.each([
    'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'claude-sonnet-4-5-20250929',
    'claude-sonnet-4-5@20250929',
    'anthropic/claude-opus-5',
    'us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'ca.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'us.deepseek.r1-v1:0',
    '',
  ])('%s is not', (name) => {
    expect(isRegionalEndpoint(name)).toBe(false);
  });
});
