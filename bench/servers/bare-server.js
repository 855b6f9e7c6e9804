// The ingest baseline: a bare node:http server that reads the body, optionally verifies its Ed25519 signature, answers 200.
// Runs in its own process (forked by bench/support/children.js) so the load generator never shares its core.
// BENCH_VERIFY: '0' none, '1' node's crypto (the ingest ratio's baseline), 'libsodium' the library the app uses.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createPublicKey, verify } from 'node:crypto';

const mode = process.env.BENCH_VERIFY ?? '0';
// Parsed once, as the app does: the key object is reused for every request.
const key = mode !== '0' ? createPublicKey(process.env.BENCH_PUBLIC_KEY ?? '') : null;
const sodium = mode === 'libsodium' ? createRequire(import.meta.url)('sodium-native') : null;
const rawKey = sodium ? Buffer.from(key.export({ format: 'jwk' }).x, 'base64url') : null;
const checks = sodium
  ? (body, signature) => sodium.crypto_sign_verify_detached(signature, body, rawKey)
  : (body, signature) => verify(null, body, key, signature);
const OK = '{"status":"stored"}';
const REJECTED = '{"error":"bad-signature"}';

function answer(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => { chunks.push(chunk); size += chunk.length; });
  req.on('end', () => {
    if (key) {
      const header = req.headers['x-ghl-signature'];
      const signature = typeof header === 'string' ? Buffer.from(header, 'base64') : Buffer.alloc(0);
      let ok = false;
      try {
        ok = signature.length === 64 && checks(Buffer.concat(chunks, size), signature);
      } catch {
        ok = false;
      }
      if (!ok) return answer(res, 401, REJECTED);
    }
    answer(res, 200, OK);
  });
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
