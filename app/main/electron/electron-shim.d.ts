/**
 * The few Electron main-process types OCR Desk uses, declared here because `electron` is an optional dependency
 * that is not installed on headless and CI machines. Shapes follow Electron 45's `utilityProcess` API.
 * If `electron` is installed, its own declarations apply as well; these are a strict subset of them.
 */
declare module 'electron' {
  interface UtilityProcessForkOptions {
    env?: NodeJS.ProcessEnv;
    execArgv?: string[];
    cwd?: string;
    stdio?: 'pipe' | 'ignore' | 'inherit' | Array<'pipe' | 'ignore' | 'inherit'>;
    serviceName?: string;
  }

  interface UtilityProcess {
    readonly pid: number | undefined;
    readonly stdout: NodeJS.ReadableStream | null;
    readonly stderr: NodeJS.ReadableStream | null;
    postMessage(message: unknown): void;
    kill(): boolean;
    on(event: 'message', listener: (message: unknown) => void): this;
    on(event: 'exit', listener: (code: number) => void): this;
    on(event: 'spawn', listener: () => void): this;
    once(event: 'exit', listener: (code: number) => void): this;
  }

  export const utilityProcess: {
    fork(modulePath: string, args?: string[], options?: UtilityProcessForkOptions): UtilityProcess;
  };
}
