// `ctm start`'s status-line socket: $CTM_DATA_DIR/statusline.sock, HTTP over a Unix socket that only this
// user may open (mode 0600, never a TCP port), one route: POST /statusline with Claude Code's status-line
// document as the body, answered with the line. bin/ctm-statusline sends the document there with curl while
// the socket is up, so a status line costs a shell and a curl instead of a Node start, and is made with the
// server's open connections (the index reader, one limits.db writer); otherwise it runs `ctm statusline`.
// The script's settings come as headers: its flags (X-Ctm-Format, X-Ctm-Color: on/off) and its environment
// (X-Ctm-Env-Format, -Color, -Thresholds, -No-Color), read by the same rules as in `ctm statusline` itself.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/open.ts';
import { openLimitsWriter } from '../db/limits/open-limits.ts';
import type { Logger } from '../log.ts';
import { intlClock } from '../statusline/local-clock.ts';
import { makeStatusLine, type LineStores } from '../statusline/status-line.ts';
import type { Runtime } from './runtime.ts';

export const statuslineSocketPath = (dataDir: string): string => join(dataDir, 'statusline.sock');

/** The answer's budget: the script waits 0.5 s before it makes the line itself. */
const BUDGET_MS = 400;
const MAX_BODY = 1 << 20;
// sockaddr_un's path: 108 bytes on Linux, 104 on macOS, the terminating NUL included.
const MAX_PATH = process.platform === 'linux' ? 107 : 103;

function body(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (b: Buffer) => {
      size += b.length;
      if (size <= MAX_BODY) chunks.push(b);
    });
    req.on('end', () => resolve(size <= MAX_BODY ? Buffer.concat(chunks).toString('utf8') : null));
    req.on('error', () => resolve(null));
  });
}

/** A socket file another live ctm answers on stays; one left by a crash is removed. */
function inUse(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function listenStatuslineSocket(rt: Runtime, log: Logger): Promise<Server | null> {
  const path = statuslineSocketPath(rt.config.dataDir);
  if (process.platform === 'win32' || Buffer.byteLength(path) > MAX_PATH) {
    log.info('no status-line socket (the data dir path is too long for one); status lines run on their own', {
      path,
    });
    return null;
  }
  if (existsSync(path)) {
    if (await inUse(path)) {
      log.warn('another ctm answers on the status-line socket; this one does not', { path });
      return null;
    }
    unlinkSync(path);
  }
  const clock = intlClock(rt.config.timezone);
  let writer: Db | null = null;
  const stores: LineStores = {
    limitsReader: () => writer ?? rt.limits(),
    limitsWriter: async (deadline) =>
      writer?.open ? writer : (writer = await openLimitsWriter(rt.config.dataDir, deadline)),
    index() {
      const db = rt.reader();
      if (!db) throw new Error('the index cannot be opened');
      return db;
    },
    release: () => {},
    clock,
  };
  const config = {
    dataDir: rt.config.dataDir,
    dbPath: rt.config.dbPath,
    timezone: rt.config.timezone,
    costMode: rt.config.costMode,
    pricingFile: rt.config.pricingFile,
  };
  const server = createServer(async (req, res) => {
    const deadline = Date.now() + BUDGET_MS;
    if (req.method !== 'POST' || req.url !== '/statusline') {
      res.writeHead(404).end();
      return;
    }
    const text = await body(req);
    if (text === null) {
      res.writeHead(413).end();
      return;
    }
    const header = (name: string) => {
      const v = req.headers[name];
      return typeof v === 'string' && v !== '' ? v : undefined;
    };
    const color = header('x-ctm-color');
    try {
      const line = await makeStatusLine(
        {
          text,
          format: header('x-ctm-format'),
          color: color === undefined ? undefined : color === 'on',
          env: {
            CTM_STATUSLINE_FORMAT: header('x-ctm-env-format'),
            CTM_STATUSLINE_COLOR: header('x-ctm-env-color'),
            CTM_STATUSLINE_THRESHOLDS: header('x-ctm-env-thresholds'),
            NO_COLOR: header('x-ctm-env-no-color'),
          },
          config,
        },
        stores,
        deadline,
      );
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(line + '\n');
    } catch (error) {
      log.warn('status line failed', { error: (error as Error).message });
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  server.on('close', () => {
    writer?.close();
    writer = null;
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  });
  log.info('status-line socket', { path });
  return server;
}
