'use strict';
// The two sample pages, run as the mini-program runtime would run them (App/Page/getApp and the page's own
// setData), against the real functions: products -> pay, and my orders with its tabs, paging and refund.
const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { createWx, freshUser, FUNCTIONS_URL } = require('./wx-shim.js');

const ROOT = path.resolve(__dirname, '../../../../miniprogram');
let wx;
let app;

/** The runtime's part: App() and Page() register objects; setData merges into data. */
function load(file) {
  let definition;
  global.App = (d) => { definition = d; };
  global.Page = (d) => { definition = d; };
  delete require.cache[require.resolve(path.join(ROOT, file))];
  require(path.join(ROOT, file));
  const instance = Object.assign({}, definition, { data: structuredClone(definition.data) });
  instance.setData = function (patch) { Object.assign(this.data, patch); };
  return instance;
}

function tap(dataset) {
  return { currentTarget: { dataset } };
}

before(() => {
  wx = createWx(freshUser('pages'));
  wx.ui = [];
  wx.showToast = (o) => wx.ui.push('toast:' + o.title);
  wx.showModal = (o) => { wx.ui.push('modal:' + o.title); if (o.success) o.success({ confirm: true, cancel: false }); };
  wx.switchTab = (o) => wx.ui.push('switchTab:' + o.url);
  wx.stopPullDownRefresh = () => {};
  global.wx = wx;
  require(path.join(ROOT, 'config.js')).functions = FUNCTIONS_URL;
  app = load('app.js');
  app.onLaunch();
  global.getApp = () => app;
});

test('products page: the cart total, then checkout pays and switches to the paid tab; a cancel says so', async () => {
  const page = load('pages/products/products.js');
  page.onQtyTap(tap({ id: 'coffee-latte', delta: '1' }));
  page.onQtyTap(tap({ id: 'coffee-latte', delta: '1' }));
  page.onQtyTap(tap({ id: 'cake-cheese', delta: '1' }));
  assert.equal(page.data.totalText, '91.00');

  wx.shim.cashier.push('cancel');
  assert.equal((await page.onCheckout()).outcome, 'cancelled');
  assert.deepEqual(wx.ui.splice(0), ['toast:已取消支付']);
  assert.equal(page.data.totalText, '91.00', 'the cart is kept after a cancel');

  const paid = await page.onCheckout();
  assert.equal(paid.outcome, 'paid');
  assert.deepEqual(wx.ui.splice(0), ['toast:支付成功', 'switchTab:/pages/orders/orders']);
  assert.equal(app.ordersTab, 'paid');
  assert.equal(page.data.totalText, '0.00');
});

test('orders page: tabs filter by payStatus, pages load by cursor, refund moves the order to 已退款', async () => {
  const client = app.client;
  for (const productId of ['coffee-americano', 'mug']) {
    await client.createOrder([{ productId, quantity: 1 }]); // two unpaid orders beside the paid one
  }
  const page = load('pages/orders/orders.js');
  page.pageSize = 2;
  await page.onShow(); // opened by the products page on the paid tab
  assert.equal(page.data.tab, 'paid');
  assert.deepEqual(page.data.orders.map((o) => [o.statusText, o.totalText, o.canRefund]), [['已支付', '91.00', true]]);

  await page.onTabTap(tap({ key: 'all' }));
  assert.equal(page.data.orders.length, 2);
  assert.equal(page.data.noMore, false);
  await page.onReachBottom();
  assert.equal(page.data.orders.length, 3);
  assert.equal(page.data.noMore, true);
  assert.equal(new Set(page.data.orders.map((o) => o.outTradeNo)).size, 3);

  await page.onTabTap(tap({ key: 'unpaid' }));
  assert.deepEqual(page.data.orders.map((o) => o.statusText), ['未支付', '未支付']);

  await page.onTabTap(tap({ key: 'paid' }));
  const paidNo = page.data.orders[0].outTradeNo;
  const done = await page.onRefundTap(tap({ no: paidNo }));
  assert.equal(done.order.status, 'REFUNDED');
  assert.equal(page.data.orders[0].statusText, '已退款');
  assert.equal(page.data.orders[0].canRefund, false);

  await page.onTabTap(tap({ key: 'refunded' }));
  assert.deepEqual(page.data.orders.map((o) => o.outTradeNo), [paidNo]);
  await page.onTabTap(tap({ key: 'paid' }));
  assert.deepEqual(page.data.orders, []);
});
