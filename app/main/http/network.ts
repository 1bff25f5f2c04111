/**
 * Which addresses are loopback, and how a LAN node checks where a request comes from.
 *
 * Loopback (127.0.0.0/8, ::1, localhost) keeps the local mode: the token, Host and Origin pinned to this server.
 * Any other address is a LAN node: TLS and API keys. A test may make a loopback listener behave as a LAN node
 * (never the reverse) with OCR_DESK_TEST_TREAT_AS_LAN=<that address>, read only when OCR_DESK_TEST_MODE=1.
 */
import type { IncomingMessage } from 'node:http';
import { ForbiddenError } from '../../common/errors.ts';
import { isLanAddress, isLoopback } from '../service/node-settings.ts';

export { isLanAddress, isLoopback };

/**
 * On a LAN node, a request carrying an Origin must come from this server's own origin (the scheme and the Host
 * it was sent to); opaque origins and cross-site fetches are refused. With the session cookie SameSite=Strict,
 * this stops other sites' pages from using a logged-in browser.
 */
export function checkLanOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin === 'null') throw new ForbiddenError('Requests from an opaque origin (a sandboxed frame, a file:// page) are not allowed.');
  if (origin !== undefined && origin !== `https://${req.headers.host ?? ''}`) {
    throw new ForbiddenError(`Requests from ${origin} are not allowed: only pages served by this OCR Desk may call it.`);
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') throw new ForbiddenError('Cross-site requests are not allowed.');
}

/** The client's address, for logs and the audit trail. */
export function clientAddress(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}
