import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { captureResponse, type CapturedResponse } from './response-capture.ts';

describe('captureResponse', () => {
  it('records status, headers and body while the response goes out unchanged', async () => {
    let captured: CapturedResponse | undefined;
    const server = createServer((_req, res) => {
      captureResponse(res, (c) => (captured = c));
      res.setHeader('x-early', '1');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<p>');
      res.write(new TextEncoder().encode('live'));
      res.end('</p>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(await res.text()).toBe('<p>live</p>');
    server.close();
    expect(captured!.status).toBe(200);
    expect(captured!.headers).toMatchObject({ 'content-type': 'text/html', 'x-early': '1' });
    expect(captured!.body.toString()).toBe('<p>live</p>');
  });
});
