// `ctm prices`: the price table in effect (the shipped one with CTM_PRICING_FILE over it) and every model the
// index has messages of without a price. Without an index it still prints the table; a bad pricing file is
// the same configuration error ingest would give.
import { loadConfig } from '../../config.ts';
import { UsageError } from '../usage-error.ts';
import { openIndex } from './report.ts';
import { terminalSafe } from '../../format/terminal-safe.ts';

const { parseArgs } = process.getBuiltinModule('node:util');
const { existsSync } = process.getBuiltinModule('node:fs');

export const PRICES_HELP = `Usage: ctm prices [options]

The price table in effect (source, checked date, tiers, fast multiplier, dated changes), then every model
the index has messages of without a price (messages, tokens, first and last use).

Options:
  -j, --json                 the same as JSON
      --data-dir DIR         where the index is (default: CTM_DATA_DIR, else ./data)
  -h, --help                 this help
`;

function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        json: { type: 'boolean', short: 'j' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    const e = error as { code?: string; message: string };
    if (!e.code?.startsWith('ERR_PARSE_ARGS')) throw error;
    const what =
      e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `unknown option ${/'([^']+)'/.exec(e.message)?.[1] ?? '?'}`
        : e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
          ? `unexpected argument "${/'([^']+)'/.exec(e.message)?.[1] ?? ''}"`
          : e.message.split('\n')[0]!.replace(/\.$/, '');
    throw new UsageError(`prices: ${what} (see \`ctm prices --help\`)`);
  }
}

export async function pricesCommand(args: string[]): Promise<number> {
  const values = parse(args);
  if (values.help) {
    process.stdout.write(PRICES_HELP);
    return 0;
  }
  const config = loadConfig(process.env, values['data-dir'] ? { dataDir: values['data-dir'] } : {});
  const [{ loadPricing }, { priceList }] = await Promise.all([
    import('../../pricing/load-pricing.ts'),
    import('../price-list.ts'),
  ]);
  const table = loadPricing(config.pricingFile);
  let unpriced = null;
  if (existsSync(config.dbPath)) {
    const { unpricedModels } = await import('../../db/queries/unpriced-models.ts');
    const db = openIndex(config.dbPath);
    try {
      unpriced = unpricedModels(db);
    } finally {
      db.close();
    }
  }
  const now = Date.now();
  const list = priceList(table, config.pricingFile, unpriced, now);
  process.stdout.write(
    values.json
      ? JSON.stringify(list, null, 2) + '\n'
      : terminalSafe((await import('../prices-text.ts')).renderPrices(list, now)) + '\n',
  );
  return 0;
}
