// `ctm snapshot`: archives the published site as a dated, self-contained copy plus a .tar.gz.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { formatBytes, formatInt } from '../../format/number.ts';
import { snapshotSite } from '../../site/archive/snapshot-site.ts';

export async function snapshotCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } } });
  const config = loadConfig(process.env, values['data-dir'] ? { dataDir: values['data-dir'] } : {});
  try {
    const s = await snapshotSite(config);
    process.stdout.write(
      `snapshot ${s.id}: ${formatInt(s.files)} files (${formatInt(s.linked)} shared with the previous), ` +
        `${formatBytes(s.bytes)} → ${s.dir}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`ctm snapshot: ${(error as Error).message}\n`);
    return 1;
  }
}
