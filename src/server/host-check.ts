// Which Host headers `ctm start` answers, against DNS rebinding: a page on attacker.example whose name is
// re-pointed at 127.0.0.1 reaches ctm with `Host: attacker.example`, so only the names ctm is served as pass:
// localhost and *.localhost, the CTM_HOST name, CTM_ALLOWED_HOSTS, and any IP address (a browser sends an
// address only when the page itself was loaded from it, which no rebinding can fake). Others get 421.
import { isIP } from 'node:net';
import type { Config } from '../config.ts';

/** The host part of a Host header: lower-cased, without port, brackets or a trailing dot. */
export function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  const name = value.startsWith('[') ? value.slice(1, value.indexOf(']')) : value.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

export function createHostCheck(
  config: Pick<Config, 'host' | 'allowedHosts'>,
): (header: string | undefined) => boolean {
  const exact = new Set(config.allowedHosts.filter((h) => !h.startsWith('*.')));
  if (isIP(config.host) === 0) exact.add(hostName(config.host));
  const suffixes = config.allowedHosts.filter((h) => h.startsWith('*.')).map((h) => h.slice(1));
  return (header) => {
    // Browsers always send Host; only a bare HTTP/1.0 client leaves it out, and that is no rebinding.
    if (header === undefined || header.trim() === '') return true;
    const name = hostName(header);
    if (isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost')) return true;
    return exact.has(name) || suffixes.some((suffix) => name.endsWith(suffix));
  };
}
