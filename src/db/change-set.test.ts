// The change set: collects, merges, serialises sorted, and comes back from its JSON as it was.
import { describe, expect, it } from 'vitest';
import { ChangeSet } from './change-set.ts';

describe('ChangeSet', () => {
  it('collects days, local hours, sessions, projects and models; merges; serialises sorted', () => {
    const a = new ChangeSet();
    a.add('2026-03-02', 7, 's2', 'p', 'm2');
    a.add('2026-03-01', 23, 's1', 'p');
    const b = new ChangeSet();
    b.add('2026-03-01', 23, 's3', 'q', 'm1');
    a.merge(b);
    expect(a.size).toBe(2);
    expect(a.toJSON()).toEqual({
      days: ['2026-03-01', '2026-03-02'],
      hours: ['2026-03-01T23', '2026-03-02T07'],
      sessions: ['s1', 's2', 's3'],
      projects: ['p', 'q'],
      models: ['m1', 'm2'],
    });
  });

  it('a key added again after others is still there once; a new hour on the same day and a new day at the same hour count', () => {
    const a = new ChangeSet();
    a.add('2026-03-01', 1, 's1', 'p', 'm1');
    a.add('2026-03-01', 1, 's1', 'p', 'm1');
    a.add('2026-03-01', 2, 's2', 'q', 'm2');
    a.add('2026-03-02', 2, 's1', 'p', 'm1');
    a.add('2026-03-01', 1, 's2', 'p');
    expect(a.toJSON()).toEqual({
      days: ['2026-03-01', '2026-03-02'],
      hours: ['2026-03-01T01', '2026-03-01T02', '2026-03-02T02'],
      sessions: ['s1', 's2'],
      projects: ['p', 'q'],
      models: ['m1', 'm2'],
    });
  });

  it('round-trips through its JSON, as it crosses from the ingest worker to the refresh', () => {
    const a = new ChangeSet();
    a.add('2026-03-02', 7, 's/2', 'p#', 'm2');
    a.add('2026-03-01', 0, 's1', 'p');
    const back = ChangeSet.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(back).toBeInstanceOf(ChangeSet);
    expect(back.toJSON()).toEqual(a.toJSON());
    expect(back.sessions.has('s/2')).toBe(true);
    expect(ChangeSet.fromJSON(new ChangeSet().toJSON()).size).toBe(0);
  });
});
