// How much of the machine a run had: the same CPU-bound loop (Ed25519 checks, the intake's costliest step) timed in
// one process alone, then in two processes at once. On two real cores both take the same time; when the VM's second
// vCPU is busy elsewhere (a shared host), two at once take up to twice as long, and every figure that needs two cores
// (the app's signature thread, its checkpoint thread, the load generator beside it) moves with it.
import { spawn } from 'node:child_process';

const PROBE = `
const { generateKeyPairSync, sign, verify } = require('node:crypto');
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const body = Buffer.alloc(522, 7);
const signature = sign(null, body, privateKey);
for (let i = 0; i < 200; i += 1) verify(null, body, publicKey, signature);
const started = process.hrtime.bigint();
for (let i = 0; i < 3000; i += 1) verify(null, body, publicKey, signature);
console.log(Number(process.hrtime.bigint() - started) / 3000 / 1000);
`;

function timeOneCheck() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', PROBE], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`core probe exited with ${code}`))));
  });
}

/** µs per Ed25519 check in one process alone, and (the mean) in two processes running at the same time. */
export async function probeCores() {
  const alone = await timeOneCheck();
  const together = await Promise.all([timeOneCheck(), timeOneCheck()]);
  return { alone, together: (together[0] + together[1]) / 2 };
}
