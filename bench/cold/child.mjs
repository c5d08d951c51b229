// One cold start, run by bench/cold/run.ts in a fresh `node` process: imports the module named by
// argv[2] (a function's bundle, or an empty module for bare node), which runs its module-scope
// initialisation, and prints how long that took inside the process. Plain JavaScript, so nothing
// but node itself loads before the import.
const started = performance.now();
await import(process.argv[2]);
const loaded = performance.now();
process.stdout.write(JSON.stringify({ importMs: loaded - started, sinceProcessStartMs: loaded }));
