// Reads the built renderer (dist/renderer) for both file servers (the web host and Electron's
// porthole:// handler), with one path check (url-file-path.ts) and a strict CSP; nothing outside
// that folder. In Electron, node:fs reads inside app.asar.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileForUrlPath } from './url-file-path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/**
 * No remote content, no inline script, no eval; WebSockets only to loopback (the Api on this
 * port, viewer streams on the bridge's port).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export async function readStaticFile(root: string, urlPath: string): Promise<{ body: Buffer; contentType: string } | null> {
  const target = fileForUrlPath(root, urlPath);
  if (!target.ok) return null;
  try {
    return { body: await readFile(target.file), contentType: CONTENT_TYPES[extname(target.file)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
