// Turns the CTM_METRICS_ALLOW list (CIDRs separated by spaces or commas) into nginx `allow` rules for
// /metrics. nginx/15-ctm-metrics-allow.envsh does the same inside the container.
import { ConfigError } from '../config.ts';

export const DEFAULT_METRICS_ALLOW = '127.0.0.0/8 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 ::1';

const CIDR = /^(\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?|[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/\d{1,3})?)$/;

export function metricsAllowRules(value: string | undefined, setting = 'CTM_METRICS_ALLOW'): string {
  const list = (value?.trim() || DEFAULT_METRICS_ALLOW).split(/[\s,]+/).filter((part) => part !== '');
  for (const cidr of list) {
    if (!CIDR.test(cidr)) {
      throw new ConfigError(
        setting,
        `not an IP address or CIDR range: "${cidr}" (e.g. "10.0.0.0/8 127.0.0.1")`,
      );
    }
  }
  return list.map((cidr) => `allow ${cidr};`).join(' ');
}
