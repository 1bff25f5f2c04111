/**
 * Files and folders handed to the app from outside the window: on the command line, by "open with" (a second
 * launch's arguments reach the running instance through `second-instance`; macOS sends `open-file`), and from the
 * File menu. They are gathered for a moment (Finder sends one `open-file` per file), held until the service is
 * ready, and added as one job.
 */
import path from 'node:path';

export interface ArgvOptions {
  /** `process.defaultApp`: started as `electron <app folder> …`, so the first argument is the app, not a file. */
  readonly defaultApp: boolean;
}

/**
 * The paths among a launch's arguments, made absolute against its working folder: the executable (and, when run
 * through `electron <app>`, the app folder) and every switch (`--flag`, Chromium's own, macOS's `-psn_…`) are left out.
 */
export function pathsFromArgv(argv: readonly string[], workingDirectory: string, options: ArgvOptions): string[] {
  const args = argv.slice(1);
  if (options.defaultApp) {
    const app = args.findIndex((a) => !a.startsWith('-'));
    if (app >= 0) args.splice(app, 1);
  }
  return args.filter((a) => a !== '' && !a.startsWith('-')).map((a) => path.resolve(workingDirectory, a));
}

export class PathOpener {
  readonly #open: (paths: string[]) => Promise<void>;
  readonly #gatherMs: number;
  #pending: string[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ready = false;

  /** `open` receives each batch once the opener is ready. */
  constructor(open: (paths: string[]) => Promise<void>, gatherMs = 150) {
    this.#open = open;
    this.#gatherMs = gatherMs;
  }

  add(paths: readonly string[]): void {
    const fresh = paths.filter((p) => !this.#pending.includes(p));
    if (fresh.length === 0) return;
    this.#pending.push(...fresh);
    if (this.#ready) this.#schedule();
  }

  /** From now on batches are opened (call when the service is ready). */
  ready(): void {
    this.#ready = true;
    if (this.#pending.length) this.#schedule();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const batch = this.#pending;
      this.#pending = [];
      void this.#open(batch);
    }, this.#gatherMs);
  }
}
