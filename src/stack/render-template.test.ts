import { describe, expect, it } from 'vitest';
import { renderTemplate } from './render-template.ts';

describe('renderTemplate', () => {
  it('replaces CTM placeholders and leaves nginx variables alone', () => {
    expect(renderTemplate('listen ${CTM_PORT}; set $x $uri; ${HOME}', { CTM_PORT: '8080' })).toBe(
      'listen 8080; set $x $uri; ${HOME}',
    );
  });

  it('names every placeholder without a value', () => {
    expect(() => renderTemplate('${CTM_A} ${CTM_B} ${CTM_A}', {})).toThrow(
      'nginx template: no value for CTM_A, CTM_B',
    );
  });
});
