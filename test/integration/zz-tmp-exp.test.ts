import nock from 'nock';
import axios from 'axios';
import { it } from 'vitest';
it('exp', async () => {
  nock.disableNetConnect();
  nock.emitter.on('no match', (req: any) => console.log('NO MATCH', req?.method, req?.path, typeof req));
  nock('https://hl.test').post('/a', (body) => { console.log('BODY', typeof body, JSON.stringify(body)); return true; }).reply(200, {});
  await axios.post('https://hl.test/a', 'x=1&y=2', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  try { await axios.get('https://hl.test/unmatched'); } catch (e: any) { console.log('unmatched err', e.code, e.message); }
  nock('https://hl.test').post('/b').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
  const t = Date.now();
  try { await axios.post('https://hl.test/b', {}, { timeout: 2000 }); } catch (e: any) { console.log('reset err', e.code, e.message, Date.now() - t); }
  nock('https://hl.test').post('/c').replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  const t2 = Date.now();
  try { await axios.post('https://hl.test/c', {}, { timeout: 2000 }); } catch (e: any) { console.log('reset2 err', e.code, e.message, Date.now() - t2); }
  nock('https://hl.test').post('/d').replyWithError({ code: 'ECONNABORTED', message: 'timeout' });
  try { await axios.post('https://hl.test/d', {}, { timeout: 2000 }); } catch (e: any) { console.log('d err', e.code, e.message); }
});
