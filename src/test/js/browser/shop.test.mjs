// The demo shop in headless Chromium, through the whole flow a person clicks (run by ShopBrowserTest):
// log in as a simulated user, pick products, order, pay at the cashier, come back to the order list with the
// live status, refund; then a cancelled payment and a payment whose notification is dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const SHOP_URL = process.env.SHOP_URL;
const SHOTS = process.env.SCREENSHOT_DIR;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync'];
const LIVE = { timeout: 20000 };

async function withShop(fn) {
  assert.ok(SHOP_URL && SHOTS, 'SHOP_URL and SCREENSHOT_DIR are set by ShopBrowserTest');
  mkdirSync(SHOTS, { recursive: true });
  const profile = mkdtempSync(path.join(process.env.PROFILE_PARENT || tmpdir(), 'chromium-profile-'));
  // launchPersistentContext passes --user-data-dir=<profile>: a fresh, empty profile every run.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, chromiumSandbox: false,
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'zh-CN'
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
  try {
    await fn(page);
    assert.deepEqual(problems, [], 'the pages ran without script errors');
  } catch (e) {
    await page.screenshot({ path: path.join(SHOTS, 'failure.png'), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const shot = (page, name) => page.screenshot({ path: path.join(SHOTS, name + '.png') });
const byTest = (page, name) => page.locator(`[data-test="${name}"]`);
const orderCard = (page, outTradeNo) => page.locator(`[data-test="order"][data-no="${outTradeNo}"]`);

async function addToCart(page, productId, times) {
  for (let i = 0; i < times; i++) {
    await page.locator(`[data-test="product"][data-id="${productId}"] [data-test="plus"]`).click();
  }
}

/** Checkout from the product page; answers the out_trade_no the cashier shows. */
async function checkoutToCashier(page) {
  await byTest(page, 'checkout').click();
  await page.waitForURL(/\/sim\/cashier\?/, LIVE);
  return (await byTest(page, 'out-trade-no').textContent()).trim();
}

test('a shopper logs in, orders, pays at the cashier, sees the order paid live, and refunds it', async () => {
  await withShop(async (page) => {
    await page.goto(SHOP_URL);
    await byTest(page, 'user').fill('browser-alice');
    await byTest(page, 'login').click();
    await byTest(page, 'who').filter({ hasText: 'browser-alice' }).waitFor(LIVE);

    await addToCart(page, 'coffee-latte', 2);
    await addToCart(page, 'cake-cheese', 1);
    assert.equal(await byTest(page, 'total').textContent(), '¥91.00');
    await shot(page, 'shop');

    const outTradeNo = await checkoutToCashier(page);
    assert.match(outTradeNo, /^WX[0-9a-f]{28}$/);
    assert.equal((await byTest(page, 'amount').textContent()).trim(), '¥91.00', 'yuan from 9100 fen, exactly');
    assert.match(await byTest(page, 'merchant').textContent(), /模拟商户/);
    assert.match(await byTest(page, 'description').textContent(), /拿铁咖啡 x2/);
    assert.equal((await byTest(page, 'state').textContent()).trim(), '待支付');
    await shot(page, 'cashier');

    await byTest(page, 'pay').click();
    await byTest(page, 'state').filter({ hasText: '支付成功' }).waitFor(LIVE);
    assert.equal(await byTest(page, 'pay').count(), 0, 'no Pay button once paid');
    assert.match(await byTest(page, 'notification').textContent(), /商户已确认收到支付通知|支付通知发送中/);
    await shot(page, 'cashier-paid');

    await byTest(page, 'back').click();
    await byTest(page, 'banner').filter({ hasText: '支付成功' }).waitFor(LIVE);
    const card = orderCard(page, outTradeNo);
    await card.locator('[data-test="status"]').filter({ hasText: '已支付' }).waitFor(LIVE);
    await shot(page, 'orders');

    await card.locator('[data-test="refund"]').click();
    await card.locator('[data-test="status"]').filter({ hasText: '已退款' }).waitFor(LIVE);
    await byTest(page, 'banner').filter({ hasText: '退款成功' }).waitFor(LIVE);
    await byTest(page, 'tab-refunded').click();
    await orderCard(page, outTradeNo).waitFor(LIVE);
    await byTest(page, 'tab-paid').click();
    await byTest(page, 'empty').waitFor(LIVE);
    await byTest(page, 'tab-refunded').click();
    await orderCard(page, outTradeNo).waitFor(LIVE);
    await shot(page, 'orders-refunded');
  });
});

test('a cancelled payment leaves the order unpaid, and paying later with a dropped notification still ends paid', async () => {
  await withShop(async (page) => {
    await page.goto(SHOP_URL);
    await byTest(page, 'user').fill('browser-bob');
    await byTest(page, 'login').click();
    await addToCart(page, 'mug', 1);

    const outTradeNo = await checkoutToCashier(page);
    assert.equal((await byTest(page, 'amount').textContent()).trim(), '¥59.00');
    await byTest(page, 'cancel').click();
    await byTest(page, 'banner').filter({ hasText: '已取消支付' }).waitFor(LIVE);
    assert.equal(await byTest(page, 'total').textContent(), '¥59.00', 'the cart is kept');

    const again = await checkoutToCashier(page);
    assert.equal(again, outTradeNo, 'the same order, not a second payable one');
    await byTest(page, 'pay-drop').click();
    await byTest(page, 'state').filter({ hasText: '支付成功' }).waitFor(LIVE);
    assert.match(await byTest(page, 'notification').textContent(), /丢弃/);
    await shot(page, 'cashier-dropped');
    await byTest(page, 'back').click();
    await orderCard(page, outTradeNo).locator('[data-test="status"]').filter({ hasText: '已支付' }).waitFor(LIVE);
    await byTest(page, 'banner').filter({ hasText: '服务器已确认' }).waitFor(LIVE);

    await byTest(page, 'tab-unpaid').click();
    await byTest(page, 'empty').waitFor(LIVE);

    // One more left unpaid, for the list: 全部 shows both, each with what can be done to it.
    await byTest(page, 'nav-products').click();
    await addToCart(page, 'coffee-americano', 1);
    const unpaid = await checkoutToCashier(page);
    await byTest(page, 'cancel').click();
    await byTest(page, 'banner').filter({ hasText: '已取消支付' }).waitFor(LIVE);
    await byTest(page, 'nav-orders').click();
    await orderCard(page, unpaid).locator('[data-test="close"]').waitFor(LIVE);
    await orderCard(page, outTradeNo).locator('[data-test="refund"]').waitFor(LIVE);
    assert.equal(await byTest(page, 'order').count(), 2);
    await shot(page, 'orders-all');
  });
});
