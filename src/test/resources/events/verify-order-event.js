// snippet:js
const crypto = require('crypto');

// True when an order event was signed with your MERCHANT_EVENTS_SECRET at most five minutes ago.
// rawBody: the exact bytes received (a Buffer), before any JSON parsing; headers: lower-case names, as Node gives them.
function verifyOrderEvent(secret, rawBody, headers, nowSeconds = Date.now() / 1000) {
  const timestamp = headers['wxpayfn-timestamp'];
  const signature = headers['wxpayfn-signature'];
  if (!/^[0-9]{1,12}$/.test(timestamp || '') || typeof signature !== 'string'
      || Math.abs(nowSeconds - Number(timestamp)) > 300) {
    return false;
  }
  const expected = Buffer.from('sha256=' + crypto.createHmac('sha256', secret)
    .update(timestamp + '.').update(rawBody).digest('hex'));
  const given = Buffer.from(signature);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
// snippet:end

module.exports = { verifyOrderEvent };
