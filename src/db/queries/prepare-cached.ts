// Prepared statements cached per connection and SQL text: the report site runs the same few queries for
// thousands of pages, and preparing costs more than running them.
import type Database from 'better-sqlite3';
import type { Db } from '../open.ts';
import { dayBucket } from '../day-bucket.ts';

type Statement = Database.Statement<unknown[]>;
const statements = new WeakMap<Db, Map<string, Statement>>();
const buckets = new WeakMap<Db, Map<string, string>>();

export function prepareCached(db: Db, sql: string): Statement {
  let map = statements.get(db);
  if (!map) statements.set(db, (map = new Map()));
  let stmt = map.get(sql);
  if (!stmt) map.set(sql, (stmt = db.prepare<unknown[]>(sql)));
  return stmt;
}

/** dayBucket, asked once per connection and timezone. */
export function dayBucketCached(db: Db, timezone: string): string {
  let map = buckets.get(db);
  if (!map) buckets.set(db, (map = new Map()));
  let expr = map.get(timezone);
  if (expr === undefined) map.set(timezone, (expr = dayBucket(db, timezone)));
  return expr;
}
