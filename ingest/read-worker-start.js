// The reader thread's entry: turns on Node's compile cache for this thread (a worker does not share the main
// thread's), so the reading modules are not type-stripped and compiled again on every pass, then runs it.
// The cache is written out right after the modules load: a reader is terminated when the pass ends, and a
// terminated thread never writes its cache at exit (every pass would strip and compile its modules again).
const module = process.getBuiltinModule('node:module');
module.enableCompileCache?.();
await import('./read-worker.ts');
module.flushCompileCache?.();
