// Small request/response helpers of the admin listener: bounded JSON bodies, JSON answers, the headers every answer
// carries.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AdminApiError, BadRequestError, BodyTooLargeError, CrossOriginError, TooManyAttemptsError, UnsupportedContentTypeError } from './errors.js';

export const MAX_BODY_BYTES = 16 * 1024;

// The page loads only its own files and talks only to its own origin; nothing may frame it.
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}

export function sendError(response: ServerResponse, error: AdminApiError): void {
  const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': 'Bearer realm="imlight-admin"' } : {};
  if (error instanceof TooManyAttemptsError) headers['retry-after'] = String(error.retryAfterSeconds);
  sendJson(response, error.status, { error: error.code, message: error.message }, headers);
}

/** The request body as a JSON object; refuses other content types (a cross-site form cannot send JSON), bodies over the limit and bad JSON. */
export async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const type = (request.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyTooLargeError(MAX_BODY_BYTES);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(MAX_BODY_BYTES);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  if (type !== 'application/json') throw new UnsupportedContentTypeError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new BadRequestError('the body is not valid JSON', { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BadRequestError('the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * A state-changing request must come from the console's own origin: browsers send Origin on cross-site POSTs, and a
 * form cannot set the JSON content type, so a page elsewhere cannot act with the console's cookie.
 */
export function checkSameOrigin(request: IncomingMessage): void {
  const origin = request.headers.origin;
  const host = request.headers.host ?? '';
  if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`) {
    throw new CrossOriginError();
  }
  const type = (request.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (request.headers.authorization === undefined && type !== 'application/json') {
    throw new UnsupportedContentTypeError();
  }
}

/** Parses an account id path segment (decimal, 64-bit). */
export function parseAccountId(text: string): bigint {
  if (!/^[0-9]{1,20}$/.test(text)) throw new BadRequestError('account ids are decimal numbers');
  const id = BigInt(text);
  if (id > 0xffff_ffff_ffff_ffffn) throw new BadRequestError('account ids are 64-bit');
  return id;
}
