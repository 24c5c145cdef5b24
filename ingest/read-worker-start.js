// The reader thread's entry, in plain JavaScript: a TypeScript entry would be type-stripped before any cache
// is on (loading Node's stripper costs each thread 40-80 ms). It turns on Node's compile cache for this
// thread (a worker does not share the main thread's), so the reading modules are not stripped and compiled
// again on every pass. read-worker.ts writes the cache out as soon as its modules are loaded: a reader is
// terminated when the pass ends, and a terminated thread never writes its cache at exit.
process.getBuiltinModule('node:module').enableCompileCache?.();
await import('./read-worker.ts');
