/*
 * The demo shop: the mini-program's client module (wxpay.js, loaded unchanged) with a browser stand-in for the
 * few wx APIs it uses. wx.request goes to /fn/<name>, wx.login to the simulator's /sim/login for the chosen
 * user, and wx.requestPayment opens the simulator's cashier, which sends the shopper back here with
 * ?result=paid|cancel&out_trade_no=…; the page then waits for the server's verdict, as the mini-program does.
 */
'use strict';

var PAGE_SIZE = 5;

var browserWx = {
  getStorageSync: function (key) {
    var value = localStorage.getItem(key);
    return value === null ? '' : JSON.parse(value);
  },
  setStorageSync: function (key, value) { localStorage.setItem(key, JSON.stringify(value)); },
  removeStorageSync: function (key) { localStorage.removeItem(key); },
  login: function (o) {
    fetch('/sim/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: localStorage.getItem('shop.user') || 'alice' }) })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (answer.code) {
          o.success({ code: answer.code, errMsg: 'login:ok' });
        } else {
          o.fail({ errMsg: 'login:fail ' + (answer.message || '') });
        }
      }, function (e) { o.fail({ errMsg: 'login:fail ' + e.message }); });
  },
  request: function (o) {
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, o.timeout || 10000);
    fetch(o.url, { method: o.method || 'GET', headers: o.header, body: JSON.stringify(o.data), signal: abort.signal })
      .then(function (r) {
        return r.text().then(function (text) {
          var data;
          try { data = JSON.parse(text); } catch (e) { data = text; }
          o.success({ statusCode: r.status, data: data, header: {} });
        });
      })
      .catch(function (e) { o.fail({ errMsg: 'request:fail ' + (e.name === 'AbortError' ? 'timeout' : e.message) }); })
      .finally(function () { clearTimeout(timer); });
  },
  /** The cashier replaces this page, as WeChat's covers the mini-program; the shopper comes back to /shop/. */
  requestPayment: function (o) {
    var prepayId = o.package.slice('prepay_id='.length);
    location.assign('/sim/cashier?prepay_id=' + encodeURIComponent(prepayId) + '&return=' + encodeURIComponent('/shop/'));
  }
};

var client = wxpay.createClient({ functions: location.origin + '/fn', wx: browserWx,
  waitDelaysMs: [200, 400, 600, 1000, 1500, 2000, 3000, 3000, 4000] });

var state = { products: [], cart: JSON.parse(localStorage.getItem('shop.cart') || '{}'), tab: 'all',
  cursor: null, orders: [] };

function $(selector) { return document.querySelector(selector); }

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === 'text') {
      node.textContent = attrs[k];
    } else if (k === 'onclick') {
      node.onclick = attrs[k];
    } else {
      node.setAttribute(k, attrs[k]);
    }
  });
  (children || []).forEach(function (c) { node.appendChild(c); });
  return node;
}

function banner(text, kind) {
  var b = $('[data-test=banner]');
  b.textContent = text;
  b.className = 'banner' + (kind ? ' ' + kind : '');
  b.hidden = !text;
}

function failed(error) {
  banner((error.errcode ? '[' + error.errcode + '] ' : '') + error.message, 'error');
}

function show(view) {
  $('#products').hidden = view !== 'products';
  $('#orders').hidden = view !== 'orders';
  document.querySelectorAll('.main-tabs button').forEach(function (b) { b.classList.toggle('on', b.dataset.view === view); });
  if (view === 'orders') {
    loadOrders(true);
  }
}

// --- login -----------------------------------------------------------------------------------------------------

function showWho(session) {
  $('[data-test=who]').textContent = session
    ? (localStorage.getItem('shop.user') + ' · ' + session.openid.slice(0, 10) + '…') : '未登录';
}

function loggedIn() {
  var session = browserWx.getStorageSync('wxpay.session');
  return session && Date.parse(session.expiresAt) > Date.now() ? session : null;
}

function requireLogin() {
  var session = loggedIn();
  $('#login').hidden = !!session;
  $('[data-test=nav]').hidden = !session;
  $('#products').hidden = !session || $('#products').hidden;
  showWho(session);
  return session;
}

$('#login-button').onclick = function () {
  var user = $('#user').value.trim() || 'alice';
  localStorage.setItem('shop.user', user);
  client.logout();
  client.login().then(function () {
    requireLogin();
    show('products');
    banner('');
  }, failed);
};

$('#logout').onclick = function (event) {
  event.preventDefault();
  client.logout();
  client.forgetCheckout();
  saveCart({});
  requireLogin();
  $('#orders').hidden = true;
  $('#products').hidden = true;
};

// --- products and checkout ---------------------------------------------------------------------------------------

function saveCart(cart) {
  state.cart = cart;
  localStorage.setItem('shop.cart', JSON.stringify(cart));
  renderProducts();
}

function cartItems() {
  return state.products.filter(function (p) { return state.cart[p.id] > 0; })
    .map(function (p) { return { productId: p.id, quantity: state.cart[p.id] }; });
}

function renderProducts() {
  var list = $('[data-test=products]');
  list.innerHTML = '';
  var total = 0;
  state.products.forEach(function (p) {
    var qty = state.cart[p.id] || 0;
    total += qty * p.price;
    function change(delta) {
      return function () {
        var cart = Object.assign({}, state.cart);
        cart[p.id] = Math.max(0, Math.min(999, qty + delta));
        saveCart(cart);
      };
    }
    list.appendChild(el('li', { class: 'product', 'data-test': 'product', 'data-id': p.id }, [
      el('div', { class: 'thumb', text: p.name.charAt(0) }),
      el('div', { class: 'info' }, [el('div', { class: 'name', text: p.name }),
        el('div', { class: 'price', text: '¥' + wxpay.yuan(p.price) })]),
      el('div', { class: 'stepper' }, [
        el('button', { type: 'button', 'data-test': 'minus', 'aria-label': '减少', text: '−', onclick: change(-1) }),
        el('span', { class: 'qty', 'data-test': 'qty', text: String(qty) }),
        el('button', { type: 'button', 'data-test': 'plus', 'aria-label': '增加', text: '+', onclick: change(1) })])
    ]));
  });
  $('[data-test=total]').textContent = '¥' + wxpay.yuan(total);
  $('#checkout').disabled = total === 0;
}

$('#checkout').onclick = function () {
  $('#checkout').disabled = true;
  banner('正在下单…', 'warn');
  client.createOrder(cartItems()).then(function (placed) {
    banner('订单 ' + placed.order.outTradeNo + '，服务器计价 ¥' + wxpay.yuan(placed.order.total) + '，正在打开收银台…', 'warn');
    return client.pay(placed); // opens the cashier; resolves here only when nothing is left to pay
  }).then(function (result) {
    if (result) {
      paymentOutcome(result);
    }
  }, function (error) {
    $('#checkout').disabled = false;
    failed(error);
  });
};

// --- back from the cashier -----------------------------------------------------------------------------------------

function paymentOutcome(result) {
  var order = result.order;
  if (result.outcome === 'paid') {
    banner('支付成功：订单 ' + order.outTradeNo + ' 已支付 ¥' + wxpay.yuan(order.total) + '（服务器已确认）');
    saveCart({});
  } else if (result.outcome === 'unconfirmed') {
    banner('支付结果确认中：订单 ' + order.outTradeNo + ' 稍后会在订单列表中更新', 'warn');
  } else {
    banner('支付失败：' + (result.errMsg || order.status), 'error');
  }
  show('orders');
}

function returnFromCashier() {
  var params = new URLSearchParams(location.search);
  var outTradeNo = params.get('out_trade_no');
  var result = params.get('result');
  if (!outTradeNo || !result) {
    return false;
  }
  history.replaceState(null, '', '/shop/');
  if (result === 'cancel') {
    banner('已取消支付：订单 ' + outTradeNo + ' 仍未支付。再点「去支付」会继续支付同一笔订单。', 'warn');
    show('products');
    return true;
  }
  banner('正在向服务器确认支付结果…', 'warn');
  show('orders');
  client.waitPaid(outTradeNo).then(function (order) {
    paymentOutcome({ outcome: wxpay.isPaid(order) ? 'paid' : order.status === 'NOTPAY' ? 'unconfirmed' : 'failed',
      order: order });
  }, failed);
  return true;
}

// --- my orders -------------------------------------------------------------------------------------------------------

function renderTabs() {
  var nav = $('[data-test=order-tabs]');
  nav.innerHTML = '';
  wxpay.ORDER_TABS.forEach(function (tab) {
    nav.appendChild(el('button', { type: 'button', 'data-test': 'tab-' + tab.key, class: tab.key === state.tab ? 'on' : '',
      text: tab.title, onclick: function () { state.tab = tab.key; renderTabs(); loadOrders(true); } }));
  });
}

function loadOrders(fresh) {
  var tab = wxpay.ORDER_TABS.filter(function (t) { return t.key === state.tab; })[0];
  var key = state.tab;
  return client.listOrders({ payStatus: tab.payStatus, limit: PAGE_SIZE, cursor: fresh ? null : state.cursor })
    .then(function (page) {
      if (key !== state.tab) {
        return; // another tab was chosen meanwhile
      }
      state.orders = (fresh ? [] : state.orders).concat(page.orders);
      state.cursor = page.nextCursor;
      renderOrders();
      page.orders.filter(function (o) { return o.status === 'REFUNDING'; }).forEach(watchRefund);
    }, failed);
}

function renderOrders() {
  var list = $('[data-test=orders]');
  list.innerHTML = '';
  state.orders.forEach(function (order) { list.appendChild(orderCard(order)); });
  $('[data-test=empty]').hidden = state.orders.length > 0;
  $('#more').hidden = !state.cursor;
}

function orderCard(order) {
  var actions = [];
  if (wxpay.canRefund(order)) {
    actions.push(el('button', { type: 'button', class: 'refund', 'data-test': 'refund', text: '申请退款',
      onclick: function () { refund(order); } }));
  }
  if (order.status === 'NOTPAY') {
    actions.push(el('button', { type: 'button', 'data-test': 'close', text: '关闭订单',
      onclick: function () { client.closeOrder(order.outTradeNo).then(replaceOrder, failed); } }));
  }
  var refunded = order.refundedTotal > 0
    ? [el('span', { class: 'refunded', text: '已退 ¥' + wxpay.yuan(order.refundedTotal) })] : [];
  return el('li', { class: 'order', 'data-test': 'order', 'data-no': order.outTradeNo, 'data-status': order.status }, [
    el('div', { class: 'head' }, [el('span', { text: '订单号 ' + order.outTradeNo }),
      el('span', { class: 'time', text: shortTime(order.createdAt) })]),
    el('div', { class: 'desc', text: order.description }),
    el('div', { class: 'line' }, [
      el('span', { class: 'amount', 'data-test': 'amount', text: '¥' + wxpay.yuan(order.total) }, refunded),
      el('span', { class: 'status ' + order.status, 'data-test': 'status', text: wxpay.statusText(order) })]),
    el('div', { class: 'actions' }, actions)
  ]);
}

function shortTime(iso) {
  var d = new Date(iso);
  function two(n) { return (n < 10 ? '0' : '') + n; }
  return two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' + two(d.getHours()) + ':' + two(d.getMinutes());
}

/** Puts the latest view of an order in its card (live status), wherever it is in the list. */
function replaceOrder(order) {
  state.orders = state.orders.map(function (o) { return o.outTradeNo === order.outTradeNo ? order : o; });
  renderOrders();
}

function refund(order) {
  banner('正在申请退款…', 'warn');
  client.refund(order.outTradeNo, '演示：不想要了').then(function (answer) {
    replaceOrder(answer.order);
    banner('已申请退款 ¥' + wxpay.yuan(answer.refund.amount) + '，等待微信支付退款结果…', 'warn');
    return watchRefund(answer.order);
  }, failed);
}

function watchRefund(order) {
  return client.waitForOrder(order.outTradeNo, function (o) { return o.status !== 'REFUNDING'; }).then(function (latest) {
    replaceOrder(latest);
    if (latest.status === 'REFUNDED') {
      banner('退款成功：订单 ' + latest.outTradeNo + ' 已退款 ¥' + wxpay.yuan(latest.refundedTotal));
    }
  }, failed);
}

$('#more').onclick = function () { loadOrders(false); };
document.querySelectorAll('.main-tabs button').forEach(function (b) {
  b.onclick = function () {
    banner('');
    show(b.dataset.view);
  };
});

// --- start ------------------------------------------------------------------------------------------------------------

renderTabs();
fetch('/shop/catalogue.json').then(function (r) { return r.json(); }).then(function (products) {
  state.products = products;
  renderProducts();
  if (requireLogin() && !returnFromCashier()) {
    show('products');
  }
}, function (e) { banner('商品目录读取失败：' + e.message, 'error'); });
