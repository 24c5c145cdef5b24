import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { ConfigError } from '../config.ts';
import { metricsAllowRules } from './metrics-allow-rules.ts';

describe('metricsAllowRules', () => {
  it('defaults to loopback and the private networks', () => {
    expect(metricsAllowRules(undefined)).toBe(
      'allow 127.0.0.0/8; allow 10.0.0.0/8; allow 172.16.0.0/12; allow 192.168.0.0/16; allow ::1;',
    );
  });

  it.each([
    ['10.0.0.0/8', 'allow 10.0.0.0/8;'],
    ['10.1.2.3, 192.168.0.0/16', 'allow 10.1.2.3; allow 192.168.0.0/16;'],
    ['fd00::/8 ::1', 'allow fd00::/8; allow ::1;'],
  ])('%s', (value, rules) => {
    expect(metricsAllowRules(value)).toBe(rules);
  });

  it('rejects anything that is not an address, naming the variable', () => {
    expect(() => metricsAllowRules('10.0.0.0/8; deny all')).toThrow(ConfigError);
    expect(() => metricsAllowRules('all')).toThrow(/CTM_METRICS_ALLOW: not an IP address/);
  });

  it('matches what the container entrypoint script renders', () => {
    const fromShell = (value: string) =>
      execFileSync(
        'sh',
        ['-c', '. ./nginx/15-ctm-metrics-allow.envsh; printf %s "$CTM_NGINX_METRICS_ALLOW"'],
        {
          env: { PATH: process.env.PATH, ...(value ? { CTM_METRICS_ALLOW: value } : {}) },
          encoding: 'utf8',
        },
      ).trim();
    expect(fromShell('')).toBe(metricsAllowRules(undefined));
    expect(fromShell('10.0.0.0/8,1.2.3.4')).toBe(metricsAllowRules('10.0.0.0/8,1.2.3.4'));
  });
});
