// What loadConfig cannot check without I/O, checked before `ctm start` serves anything: the price table
// CTM_PRICING_FILE names must load, and a CTM_HOST that is a name must resolve (an address needs no look-up).
// Each failure is a ConfigError naming the setting, so the CLI prints one line and exits 2. A missing Claude
// dir is not among them: ctm keeps waiting for it and says so on its health route.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ConfigError, type Config } from '../config.ts';
import { loadPricing } from '../pricing/load-pricing.ts';

export async function checkStartSettings(config: Pick<Config, 'pricingFile' | 'host'>): Promise<void> {
  loadPricing(config.pricingFile);
  if (isIP(config.host) !== 0) return;
  try {
    await lookup(config.host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(
      'CTM_HOST',
      `cannot resolve "${config.host}" (${code}); use an address such as 127.0.0.1 or a name this machine resolves`,
    );
  }
}
