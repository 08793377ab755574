// The cold-start floor: the least a process can do and still answer what our functions answer, so that
// scripts/bench-coldstart prints each shipped function's figure beside it, measured in the same run.
// Node.js with its standard library only (http, crypto, fs), no framework:
//   FUNCTION_ROUTE=login         jscode2session on WECHAT_API_BASE_URL, then an HMAC-SHA256 session token (the
//                                same format as SessionTokens)
//   FUNCTION_ROUTE=unifiedOrder  verifies the session token, prices the lines from CATALOGUE_PATH, writes the order
//                                to a file and fsyncs it, signs and sends the JSAPI prepay to WECHATPAY_BASE_URL,
//                                verifies WeChat Pay's signature on the answer, fsyncs the prepay id, and signs the
//                                wx.requestPayment parameters (paySign)
// Listens on 127.0.0.1:$PORT. Not part of any package.
'use strict';
const http = require('http');
const crypto = require('crypto');
const fs = require('fs');
const env = process.env;
const b64url = (buf) => Buffer.from(buf).toString('base64url');
const hmac = (text) => crypto.createHmac('sha256', env.SESSION_SECRET).update(text).digest();
// A key in the variable itself (\n escapes allowed) or in the file its _PATH variable names.
const pem = (name) => (env[name] ? env[name].replace(/\\n/g, '\n') : fs.readFileSync(env[name + '_PATH'], 'utf8'));

function session(openid) {
  const payload = b64url(`v1|${env.WECHATPAY_APPID}|${openid}|${Math.floor(Date.now() / 1000) + 7200}`);
  return `${payload}.${b64url(hmac(payload))}`;
}

function openidOf(token) {
  const [payload, mac] = (token || '').split('.');
  if (!payload || !mac || !crypto.timingSafeEqual(Buffer.from(b64url(hmac(payload))), Buffer.from(mac))) {
    return null;
  }
  const [, appid, openid, expiry] = Buffer.from(payload, 'base64url').toString().split('|');
  return appid === env.WECHATPAY_APPID && Number(expiry) * 1000 > Date.now() ? openid : null;
}

function request(url, method, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function durableWrite(file, text) {
  const fd = fs.openSync(file, 'a');
  fs.writeSync(fd, text + '\n');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
}

async function login(input) {
  const url = `${env.WECHAT_API_BASE_URL}/sns/jscode2session?appid=${env.WECHATPAY_APPID}`
    + `&secret=${encodeURIComponent(env.WECHAT_APP_SECRET)}&js_code=${encodeURIComponent(input.code)}`
    + '&grant_type=authorization_code';
  const answer = JSON.parse((await request(url, 'GET', {})).body);
  if (!answer.openid) return { errcode: 40102, errmsg: 'code rejected' };
  return { errcode: 0, errmsg: 'ok', data: { token: session(answer.openid), openid: answer.openid } };
}

async function unifiedOrder(input, headers) {
  const openid = openidOf((headers.authorization || '').replace(/^Bearer /, ''));
  if (!openid) return { errcode: 40101, errmsg: 'session token invalid' };
  const catalogue = JSON.parse(fs.readFileSync(env.CATALOGUE_PATH, 'utf8'));
  let total = 0;
  for (const line of input.items) total += catalogue.find((p) => p.id === line.productId).price * line.quantity;
  const outTradeNo = 'FL' + crypto.createHash('sha256').update(openid + input.idempotencyKey).digest('hex').slice(0, 28);
  const store = `${env.FLOOR_STORE_DIR || '/tmp'}/floor-orders-${process.pid}.jsonl`;
  durableWrite(store, JSON.stringify({ outTradeNo, openid, total, status: 'NOTPAY' }));
  const body = JSON.stringify({ appid: env.WECHATPAY_APPID, mchid: env.WECHATPAY_MCHID, description: 'floor order',
    out_trade_no: outTradeNo, notify_url: env.WECHATPAY_NOTIFY_URL, amount: { total, currency: 'CNY' },
    payer: { openid } });
  const path = '/v3/pay/transactions/jsapi';
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = crypto.randomBytes(16).toString('hex');
  const key = crypto.createPrivateKey(pem('WECHATPAY_PRIVATE_KEY'));
  const signature = crypto.sign('sha256', Buffer.from(`POST\n${path}\n${timestamp}\n${nonce}\n${body}\n`), key)
    .toString('base64');
  const answer = await request(env.WECHATPAY_BASE_URL + path, 'POST', {
    'Content-Type': 'application/json', Accept: 'application/json', 'Wechatpay-Serial': env.WECHATPAY_PUBLIC_KEY_ID,
    Authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${env.WECHATPAY_MCHID}",nonce_str="${nonce}",`
      + `timestamp="${timestamp}",serial_no="${env.WECHATPAY_MERCHANT_SERIAL_NUMBER}",signature="${signature}"`,
  }, body);
  const h = answer.headers;
  const verified = crypto.verify('sha256',
    Buffer.from(`${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n${answer.body}\n`),
    crypto.createPublicKey(pem('WECHATPAY_PUBLIC_KEY')), Buffer.from(h['wechatpay-signature'] || '', 'base64'));
  if (answer.status !== 200 || !verified) return { errcode: 50201, errmsg: `prepay answered ${answer.status}` };
  const prepayId = JSON.parse(answer.body).prepay_id;
  durableWrite(store, JSON.stringify({ outTradeNo, prepayId }));
  const pkg = `prepay_id=${prepayId}`;
  const paySign = crypto.sign('sha256', Buffer.from(`${env.WECHATPAY_APPID}\n${timestamp}\n${nonce}\n${pkg}\n`), key)
    .toString('base64');
  return { errcode: 0, errmsg: 'ok', data: { order: { outTradeNo, total, status: 'NOTPAY' },
    payment: { appId: env.WECHATPAY_APPID, timeStamp: timestamp, nonceStr: nonce, package: pkg, signType: 'RSA', paySign } } };
}

const handlers = { login, unifiedOrder };
const route = '/' + env.FUNCTION_ROUTE;
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    let answer;
    let status = 200;
    if (req.url !== route) {
      status = 404;
      answer = { errcode: 40401, errmsg: `this deployment serves only ${route}` };
    } else {
      try {
        answer = await handlers[env.FUNCTION_ROUTE](JSON.parse(Buffer.concat(chunks).toString() || '{}'), req.headers);
      } catch (e) {
        status = 500;
        answer = { errcode: 50001, errmsg: String(e) };
      }
    }
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
}).listen(Number(env.PORT), '127.0.0.1');
