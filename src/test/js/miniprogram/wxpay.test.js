'use strict';
// The mini-program client module against the real functions and the simulator (run by MiniProgramModuleTest).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const wxpay = require('../../../../miniprogram/utils/wxpay.js');
const { createWx, freshUser, FUNCTIONS_URL, SIMULATOR_URL } = require('./wx-shim.js');

const FAST = { waitDelaysMs: [100, 200, 300, 500, 800, 1000, 1500, 2000], retryDelayMs: 50 };
const LATTE_AND_CAKE = [{ productId: 'coffee-latte', quantity: 2 }, { productId: 'cake-cheese', quantity: 1 }];

function clientFor(wx, options) {
  return wxpay.createClient(Object.assign({ functions: FUNCTIONS_URL, wx }, FAST, options));
}

async function deliveriesOf(outTradeNo) {
  const all = await (await fetch(SIMULATOR_URL + '/sim/deliveries')).json();
  return all.filter((d) => d.out_trade_no === outTradeNo && d.event_type === 'TRANSACTION.SUCCESS');
}

test('checkout logs in once, pays, ends PAID by the server, refunds and lists the order under each tab', async () => {
  const wx = createWx(freshUser('flow'));
  const client = clientFor(wx);

  const placed = await client.createOrder(LATTE_AND_CAKE);
  assert.equal(placed.order.total, 9100, 'the server priced it from its catalogue');
  assert.equal(placed.order.status, 'NOTPAY');
  assert.match(placed.payment.package, /^prepay_id=/);

  const paid = await client.pay(placed);
  assert.equal(paid.outcome, 'paid');
  assert.equal(paid.order.status, 'PAID');
  assert.ok(paid.order.transactionId, 'the server recorded the WeChat transaction');
  assert.ok(wx.shim.calls('queryOrder').length >= 1, 'PAID came from queryOrder, not from requestPayment');
  assert.equal(wx.shim.logins, 1);

  const { refund, order } = await client.refund(placed.order.outTradeNo, 'changed my mind');
  assert.equal(refund.amount, 9100);
  assert.equal(order.status, 'REFUNDING');
  const done = await client.waitRefund(refund.outRefundNo);
  assert.equal(done.refund.status, 'SUCCESS');
  assert.equal(done.order.status, 'REFUNDED');
  assert.equal(wxpay.statusText(done.order), '已退款');

  const restarted = clientFor(wx); // the app restarts: the stored session is used again
  const byTab = {};
  for (const tab of wxpay.ORDER_TABS) {
    byTab[tab.key] = (await restarted.listOrders({ payStatus: tab.payStatus })).orders.map((o) => o.outTradeNo);
  }
  assert.deepEqual(byTab, { all: [placed.order.outTradeNo], paid: [], unpaid: [], refunded: [placed.order.outTradeNo] });
  assert.equal(wx.shim.logins, 1, 'one login for the whole session');
});

test('a checkout whose answer was lost is retried with the same key: one order, never a second payable one', async () => {
  const wx = createWx(freshUser('timeout'));
  const noRetries = clientFor(wx, { retries: 0 });

  wx.shim.loseAnswerOf.push('unifiedOrder');
  await assert.rejects(noRetries.createOrder(LATTE_AND_CAKE), (e) => e.kind === 'network');
  const afterRestart = clientFor(wx); // even after the app is killed and started again
  const retried = await afterRestart.createOrder(LATTE_AND_CAKE);

  wx.shim.loseAnswerOf.push('unifiedOrder'); // the module's own retry keeps the key too
  const autoRetried = await afterRestart.createOrder(LATTE_AND_CAKE);

  const keys = wx.shim.calls('unifiedOrder').map((r) => r.body.idempotencyKey);
  assert.equal(keys.length, 4);
  assert.equal(new Set(keys).size, 1, 'every attempt sent the same idempotency key: ' + keys);
  assert.equal(autoRetried.order.outTradeNo, retried.order.outTradeNo);
  const listed = await afterRestart.listOrders({});
  assert.deepEqual(listed.orders.map((o) => o.outTradeNo), [retried.order.outTradeNo], 'exactly one order exists');

  assert.equal((await afterRestart.pay(retried)).outcome, 'paid');
  const next = await afterRestart.createOrder(LATTE_AND_CAKE);
  assert.notEqual(next.order.outTradeNo, retried.order.outTradeNo, 'after paying, the same cart is a new purchase');
});

test('cancel at the cashier is told apart from a failure; the cancelled order is the one paid next time', async () => {
  const wx = createWx(freshUser('cancel'));
  const client = clientFor(wx);

  wx.shim.cashier.push('cancel');
  const cancelled = await client.checkout(LATTE_AND_CAKE);
  assert.equal(cancelled.outcome, 'cancelled');
  assert.equal((await client.queryOrder(cancelled.order.outTradeNo)).status, 'NOTPAY');
  assert.equal(wx.shim.calls('queryOrder').length, 1, 'no waiting for a payment nobody made');

  const again = await client.checkout(LATTE_AND_CAKE);
  assert.equal(again.outcome, 'paid');
  assert.equal(again.order.outTradeNo, cancelled.order.outTradeNo, 'the same order, not a second one');

  wx.shim.cashier.push('fail');
  const failed = await client.checkout([{ productId: 'mug', quantity: 1 }]);
  assert.equal(failed.outcome, 'failed');
  assert.equal(failed.errMsg, 'requestPayment:fail 余额不足');
  assert.equal(failed.order.status, 'NOTPAY');
  assert.equal(wxpay.isUserCancel(failed.errMsg), false);
});

test('40101 on a stored token logs in again and sends the call once more: expired, forged, and expired locally', async (t) => {
  const cases = [
    ['expired at the server', process.env.EXPIRED_TOKEN],
    ['forged', 'djF8d3hkNjc4ZWZoNTY3aGc2Nzg3fG9mb3JnZWR8OTk5OTk5OTk5OQ.bm90LWEtbWFj']
  ];
  for (const [name, token] of cases) {
    await t.test(name, async () => {
      assert.ok(token, 'EXPIRED_TOKEN is set by MiniProgramModuleTest');
      const wx = createWx(freshUser('relogin'));
      // The phone's clock is wrong or the secret was rotated: the stored expiry still looks good.
      wx.setStorageSync('wxpay.session', { token, openid: 'o-stale', expiresAt: new Date(Date.now() + 3600e3).toISOString() });
      const client = clientFor(wx);
      const page = await client.listOrders({});
      assert.deepEqual(page.orders, []);
      assert.deepEqual(wx.shim.requests.map((r) => r.fn + ':' + r.errcode), ['listOrders:40101', 'login:0', 'listOrders:0']);
      assert.notEqual(wx.getStorageSync('wxpay.session').token, token, 'the new session replaced the stale one');
    });
  }
  await t.test('expired in storage: a new login first, no 40101 round trip', async () => {
    const wx = createWx(freshUser('relogin'));
    wx.setStorageSync('wxpay.session', { token: 'old', openid: 'o-old', expiresAt: new Date(Date.now() - 1000).toISOString() });
    await clientFor(wx).listOrders({});
    assert.deepEqual(wx.shim.requests.map((r) => r.fn + ':' + r.errcode), ['login:0', 'listOrders:0']);
  });
  await t.test('concurrent calls without a session share one login', async () => {
    const wx = createWx(freshUser('relogin'));
    const client = clientFor(wx);
    await Promise.all([client.listOrders({}), client.listOrders({ payStatus: 2 }), client.listOrders({ payStatus: 1 })]);
    assert.equal(wx.shim.logins, 1);
  });
});

test('a dropped payment notification still ends PAID: queryOrder asks WeChat Pay and repairs the order', async () => {
  const wx = createWx(freshUser('dropped'));
  const client = clientFor(wx);
  wx.shim.cashier.push('pay-drop-notification');
  const result = await client.checkout([{ productId: 'coffee-americano', quantity: 1 }]);
  assert.equal(result.outcome, 'paid');
  assert.equal(result.order.status, 'PAID');
  const deliveries = await deliveriesOf(result.order.outTradeNo);
  assert.deepEqual(deliveries.map((d) => d.kind), ['DROPPED'], 'the callback never heard of this payment');
  const listed = await client.listOrders({ payStatus: 2 });
  assert.deepEqual(listed.orders.map((o) => o.status), ['PAID'], 'the repair was stored');
});

test('listOrders pages by nextCursor: every order once, newest first, then null', async () => {
  const wx = createWx(freshUser('paging'));
  const client = clientFor(wx);
  const placed = [];
  for (const productId of ['coffee-latte', 'coffee-americano', 'cake-cheese']) {
    placed.push((await client.createOrder([{ productId, quantity: 1 }])).order.outTradeNo);
  }
  const first = await client.listOrders({ limit: 2 });
  assert.equal(first.orders.length, 2);
  assert.ok(first.nextCursor);
  const second = await client.listOrders({ limit: 2, cursor: first.nextCursor });
  assert.equal(second.nextCursor, null);
  assert.deepEqual(first.orders.concat(second.orders).map((o) => o.outTradeNo), placed.reverse());
});

test('yuan shows fen exactly', () => {
  assert.equal(wxpay.yuan(0), '0.00');
  assert.equal(wxpay.yuan(1), '0.01');
  assert.equal(wxpay.yuan(9100), '91.00');
  assert.equal(wxpay.yuan(123456789), '1234567.89');
});
