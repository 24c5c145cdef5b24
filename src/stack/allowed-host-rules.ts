// Turns the extra host names ctm is served as (the CTM_HOST name, CTM_ALLOWED_HOSTS) into entries of the
// nginx map behind the host check in ctm.conf; localhost names and IP addresses are in the template.
// nginx/16-ctm-allowed-hosts.envsh does the same inside the container.
import { isIP } from 'node:net';

export function allowedHostRules(names: readonly string[]): string {
  const hosts = [...new Set(names.map((n) => n.toLowerCase()).filter((n) => n !== '' && isIP(n) === 0))];
  return hosts.map((name) => `${name} 1;`).join(' ');
}
