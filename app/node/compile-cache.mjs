// Node's on-disk compile cache (typed and documented in compile-cache.d.mts). Plain JavaScript, so that the
// `ocr-desk` launcher can turn it on before the first TypeScript module is loaded.
import module from 'node:module';
import path from 'node:path';

export function compileCacheDir(cacheDir) {
  return path.join(cacheDir, 'compile');
}

export function enableCompileCache(cacheDir, env = process.env) {
  if (env.NODE_COMPILE_CACHE) return;
  const dir = compileCacheDir(cacheDir);
  // Absent before Node 22.1; returns a status rather than throwing when the folder cannot be used.
  const result = module.enableCompileCache?.(dir);
  if (result && result.status !== module.constants.compileCacheStatus.FAILED) env.NODE_COMPILE_CACHE = result.directory ?? dir;
}
