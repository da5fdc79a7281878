// The porthole://app scheme Electron's window loads: the built renderer, read by the web host's
// own reader (main/host/static-files.ts), so both file servers share one path check, and served
// with the strict CSP. Takes Electron's protocol as an argument so unit tests pass the fake.
import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY, readStaticFile } from '../host/static-files';

export const APP_SCHEME = 'porthole';
export const APP_HOST = 'app';

export async function rendererResponse(rendererDir: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl);
  const file = url.host === APP_HOST ? await readStaticFile(rendererDir, url.pathname) : null;
  if (!file) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  return new Response(new Uint8Array(file.body), {
    status: 200,
    headers: { 'content-type': file.contentType, 'content-security-policy': CONTENT_SECURITY_POLICY },
  });
}

export function registerRendererProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(rendererDir, request.url));
}
