// The reader thread's entry: turns on Node's compile cache for this thread (a worker does not share the main
// thread's), so the reading modules are not type-stripped and compiled again on every pass, then runs it.
process.getBuiltinModule('node:module').enableCompileCache?.();
await import('./read-worker.ts');
