// The relay between `astro build` and the prerender helper, with stand-ins for the two child processes: the
// job goes to the helper, exactly one answer comes back to Astro and only after Astro asked, whatever order the
// helper's last message, exit and disconnect arrive in.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { relay, type RelayPeer } from './helper-relay.ts';

class Peer extends EventEmitter implements RelayPeer {
  connected = true;
  sent: object[] = [];
  killed = false;
  send(message: object): boolean {
    this.sent.push(message);
    return true;
  }
  kill(): boolean {
    this.killed = true;
    return true;
  }
  /** The process ends: its exit, then its channel closing (or the other way round). */
  end(order: 'exit-first' | 'disconnect-first' = 'exit-first', code = 0): void {
    const exit = () => this.emit('exit', code, null);
    const disconnect = () => {
      this.connected = false;
      this.emit('disconnect');
    };
    if (order === 'exit-first') {
      exit();
      disconnect();
    } else {
      disconnect();
      exit();
    }
  }
}

const job = { type: 'render', pages: [] };
const done = { type: 'done', rendered: 3 };

function setup() {
  const astro = new Peer();
  const helper = new Peer();
  relay(astro, helper);
  return { astro, helper };
}

describe('helper relay', () => {
  it('passes the job to the helper and its answer back to Astro, once', () => {
    const { astro, helper } = setup();
    astro.emit('message', job);
    expect(helper.sent).toEqual([job]);
    helper.emit('message', done);
    helper.end();
    expect(astro.sent).toEqual([done]);
  });

  it('keeps the answer of a helper that failed early until Astro asks', () => {
    const { astro, helper } = setup();
    const failed = { type: 'failed', message: 'Error: no index' };
    helper.emit('message', failed);
    helper.end('disconnect-first', 1);
    expect(astro.sent).toEqual([]);
    astro.emit('message', job);
    expect(astro.sent).toEqual([failed]);
    expect(helper.sent).toEqual([]);
  });

  it('answers a job for a helper that stopped without a word', () => {
    const { astro, helper } = setup();
    helper.end('exit-first', 137);
    astro.emit('message', job);
    expect(astro.sent).toEqual([
      { type: 'failed', message: 'the helper stopped (exit code 137) without a result' },
    ]);
  });

  it('waits for the channel to close before calling a helper silent (its last message may come after exit)', () => {
    const { astro, helper } = setup();
    astro.emit('message', job);
    helper.emit('exit', 0, null);
    expect(astro.sent).toEqual([]);
    helper.emit('message', done);
    helper.connected = false;
    helper.emit('disconnect');
    expect(astro.sent).toEqual([done]);
  });

  it('stops the helper when Astro renders every page itself, and when Astro exits', () => {
    const first = setup();
    first.astro.emit('message', { type: 'stop' });
    expect(first.helper.killed).toBe(true);
    const second = setup();
    second.astro.emit('exit', 1, null);
    expect(second.helper.killed).toBe(true);
  });
});
