/** pino-roll 4 ships no types: the part of its API log.ts uses. */
declare module 'pino-roll' {
  interface RollOptions {
    file: string;
    extension?: string;
    frequency?: 'daily' | 'hourly' | number;
    dateFormat?: string;
    size?: string | number;
    mkdir?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
  }
  export default function build(options: RollOptions): Promise<NodeJS.WritableStream>;
}
