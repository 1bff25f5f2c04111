/**
 * The one client interface the UI and the CLI talk to, whatever the transport: the service in the same process,
 * the Electron preload, or HTTP. Every verb of {@link OcrApi}, plus the event stream.
 */
import type { ServiceEvent } from './events.ts';
import type { OcrApi } from './operations.ts';

export interface SubscribeOptions {
  /** Stops the subscription. */
  readonly signal?: AbortSignal;
  /** Called when the stream breaks for good (HTTP: the service went away). */
  readonly onError?: (error: Error) => void;
}

export interface OcrClient extends OcrApi {
  /** Calls `listener` for every event from now on; returns the function that stops it. */
  subscribe(listener: (event: ServiceEvent) => void, options?: SubscribeOptions): () => void;
}
