/**
 * Node's on-disk compile cache for OCR Desk's own processes: it keeps the compiled form of every module (and the
 * type-stripped form of our .ts files), so a CLI run or a worker starts ~0.2 s sooner. Worker processes inherit it
 * through NODE_COMPILE_CACHE. It only saves time: where it cannot be used, modules compile as usual.
 *
 * Turned on before the first TypeScript module, it also spares the process Node's type stripper, which takes
 * ~40 ms to load: the `ocr-desk` launcher (bin/ocr-desk.mjs) does so.
 */

/** The compile cache's folder inside OCR Desk's cache folder: `<cacheDir>/compile`. */
export function compileCacheDir(cacheDir: string): string;

/**
 * Turns the cache on for this process and its children, in `<cacheDir>/compile` unless NODE_COMPILE_CACHE
 * already names a folder (then Node, or the launcher, has turned it on).
 */
export function enableCompileCache(cacheDir: string, env?: NodeJS.ProcessEnv): void;
