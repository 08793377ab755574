/*
 * Client for the WeChat Pay functions (login, unifiedOrder, queryOrder, closeOrder, refund, queryRefund,
 * listOrders). Copy this one file into your mini-program; it needs no build step and no other module.
 *
 *   const wxpay = require('../../utils/wxpay.js');
 *   const client = wxpay.createClient({ functions: 'https://<your function URL>' });
 *   const placed = await client.createOrder([{ productId: 'coffee-latte', quantity: 2 }]);
 *   const result = await client.pay(placed);   // result.outcome: paid | cancelled | failed | unconfirmed
 *
 * Rules it keeps, so your pages need not:
 * - One session, kept in storage and reused until shortly before it expires; any call answered 40101 logs in
 *   again (a new wx.login code) and is sent once more.
 * - A checkout's idempotency key is stored before unifiedOrder is called and reused for the same cart, so a
 *   checkout retried after a timeout, a crash or a cancelled payment returns the same order and prepay: never a
 *   second payable order.
 * - Payment is done when the server says PAID, not when wx.requestPayment succeeds: pay() then asks queryOrder
 *   with a bounded backoff (queryOrder asks WeChat Pay, so a lost notification is repaired).
 */
'use strict';

/** Function errcodes this module acts on (README, "errcode table"). */
var ERRCODE = {
  OK: 0,
  INVALID_REQUEST: 40001,
  UNAUTHENTICATED: 40101,
  LOGIN_FAILED: 40102,
  IDEMPOTENCY_CONFLICT: 40902,
  INTERNAL: 50001,
  WECHATPAY_UNAVAILABLE: 50301,
  STORE_UNAVAILABLE: 50302,
  LOGIN_UNAVAILABLE: 50303,
  WRITE_CONTENTION: 50304
};

/** Answers that mean "nothing was decided, send the same request again". */
var RETRYABLE = [
  ERRCODE.INTERNAL,
  ERRCODE.WECHATPAY_UNAVAILABLE,
  ERRCODE.STORE_UNAVAILABLE,
  ERRCODE.LOGIN_UNAVAILABLE,
  ERRCODE.WRITE_CONTENTION
];

/** listOrders filters for the usual tabs of a "my orders" page. */
var ORDER_TABS = [
  { key: 'all', title: '全部' },
  { key: 'paid', title: '已支付', payStatus: 2 },
  { key: 'unpaid', title: '未支付', payStatus: 1 },
  { key: 'refunded', title: '已退款', payStatus: 4 }
];

var STATUS_TEXT = {
  NOTPAY: '未支付',
  PAID: '已支付',
  REFUNDING: '退款中',
  PARTIALLY_REFUNDED: '部分退款',
  REFUNDED: '已退款',
  CLOSED: '已关闭',
  PAYERROR: '支付失败'
};

var PAID_STATUSES = ['PAID', 'REFUNDING', 'PARTIALLY_REFUNDED', 'REFUNDED'];

var DEFAULTS = {
  storagePrefix: 'wxpay.',
  requestTimeoutMs: 10000,
  /** Extra attempts of a call after a network failure or a retryable errcode. */
  retries: 2,
  retryDelayMs: 400,
  /** Pauses between queryOrder calls while waiting for the server's verdict: about 20 s in all. */
  waitDelaysMs: [300, 600, 1000, 1500, 2000, 3000, 3000, 4000, 5000],
  /** A stored session is renewed this long before it expires. */
  sessionMarginMs: 60000
};

/**
 * Thrown for every failure. kind: 'api' (a function refused: errcode and errmsg say why), 'network' (no
 * answer: the call may or may not have happened; the same call may be sent again), 'login' (wx.login failed).
 */
function WxPayError(kind, message, errcode) {
  var error = new Error(message);
  error.name = 'WxPayError';
  error.kind = kind;
  error.errcode = errcode === undefined ? null : errcode;
  return error;
}

function isPaid(order) {
  return !!order && PAID_STATUSES.indexOf(order.status) >= 0;
}

/** True for the errMsg wx.requestPayment fails with when the user closes the cashier. */
function isUserCancel(errMsg) {
  return errMsg === 'requestPayment:fail cancel' || errMsg === 'requestPayment:cancel';
}

/** Fen (an integer) as yuan text, exactly: 9100 -> "91.00". */
function yuan(fen) {
  var sign = fen < 0 ? '-' : '';
  var abs = Math.abs(fen);
  var cents = String(abs % 100);
  return sign + Math.floor(abs / 100) + '.' + (cents.length < 2 ? '0' + cents : cents);
}

function statusText(order) {
  return STATUS_TEXT[order.status] || order.status;
}

/** An owner may refund a whole paid order with nothing refunded yet (the server still checks its window). */
function canRefund(order) {
  return order.status === 'PAID' && order.refundedTotal === 0;
}

function sleep(ms) {
  return new Promise(function (resolve) { setTimeout(resolve, ms); });
}

/** The cart in one canonical spelling: the same products and quantities give the same text. */
function cartKey(items) {
  var totals = {};
  items.forEach(function (item) {
    totals[item.productId] = (totals[item.productId] || 0) + item.quantity;
  });
  return Object.keys(totals).sort().map(function (id) { return id + '*' + totals[id]; }).join(',');
}

function newIdempotencyKey() {
  var random = '';
  while (random.length < 20) {
    random += Math.random().toString(36).slice(2);
  }
  return 'ck-' + Date.now().toString(36) + '-' + random.slice(0, 20);
}

/**
 * @param options.functions the functions' base URL ('https://host'), or one per function
 *        ({ login: 'https://a…', unifiedOrder: 'https://b…', … }) when each is deployed on its own URL
 * @param options.wx the wx object (default: the global one)
 */
function createClient(options) {
  var opts = {};
  Object.keys(DEFAULTS).forEach(function (k) { opts[k] = DEFAULTS[k]; });
  Object.keys(options || {}).forEach(function (k) { opts[k] = options[k]; });
  var wxApi = opts.wx || (typeof wx !== 'undefined' ? wx : null); // eslint-disable-line no-undef
  if (!wxApi) {
    throw new Error('wxpay: no wx object (pass options.wx outside a mini-program)');
  }
  if (!opts.functions) {
    throw new Error('wxpay: options.functions (the functions\' URL) is required');
  }
  var sessionKey = opts.storagePrefix + 'session';
  var checkoutKey = opts.storagePrefix + 'checkout';
  var loggingIn = null;

  function urlOf(name) {
    var base = typeof opts.functions === 'string' ? opts.functions : opts.functions[name];
    if (!base) {
      throw new Error('wxpay: no URL for function ' + name);
    }
    return base.replace(/\/+$/, '') + '/' + name;
  }

  function read(key) {
    var value = wxApi.getStorageSync(key);
    return value === '' || value === undefined ? null : value;
  }

  /** One POST; resolves with the envelope, rejects with a 'network' WxPayError when there is none. */
  function send(name, body, token) {
    return new Promise(function (resolve, reject) {
      var header = { 'Content-Type': 'application/json' };
      if (token) {
        header.Authorization = 'Bearer ' + token;
      }
      wxApi.request({
        url: urlOf(name),
        method: 'POST',
        data: body,
        header: header,
        timeout: opts.requestTimeoutMs,
        dataType: 'json',
        success: function (res) {
          var data = res.data;
          if (data && typeof data === 'object' && typeof data.errcode === 'number') {
            resolve(data);
          } else {
            reject(WxPayError('network', name + ': HTTP ' + res.statusCode + ' without an answer envelope'));
          }
        },
        fail: function (err) {
          reject(WxPayError('network', name + ': ' + ((err && err.errMsg) || 'request failed')));
        }
      });
    });
  }

  /** send(), again after a network failure or a retryable errcode, with the same body. */
  function sendRetrying(name, body, token) {
    var attempt = 0;
    function tryOnce() {
      return send(name, body, token).then(function (answer) {
        if (RETRYABLE.indexOf(answer.errcode) >= 0 && attempt < opts.retries) {
          return again();
        }
        return answer;
      }, function (error) {
        if (attempt < opts.retries) {
          return again();
        }
        throw error;
      });
    }
    function again() {
      attempt += 1;
      return sleep(opts.retryDelayMs * attempt).then(tryOnce);
    }
    return tryOnce();
  }

  function wxLogin() {
    return new Promise(function (resolve, reject) {
      wxApi.login({
        success: function (res) { resolve(res.code); },
        fail: function (err) { reject(WxPayError('login', 'wx.login: ' + ((err && err.errMsg) || 'failed'))); }
      });
    });
  }

  /** wx.login and the login function; a wx.login code is single-use, so each attempt takes a new one. */
  function loginNow() {
    var attempt = 0;
    function tryOnce() {
      return wxLogin().then(function (code) {
        return send('login', { code: code }, null);
      }).then(function (answer) {
        if (answer.errcode === ERRCODE.OK) {
          wxApi.setStorageSync(sessionKey, answer.data);
          return answer.data;
        }
        if (RETRYABLE.indexOf(answer.errcode) >= 0 && attempt < opts.retries) {
          attempt += 1;
          return sleep(opts.retryDelayMs * attempt).then(tryOnce);
        }
        throw WxPayError('api', 'login: ' + answer.errmsg, answer.errcode);
      }, function (error) {
        if (error.kind === 'network' && attempt < opts.retries) {
          attempt += 1;
          return sleep(opts.retryDelayMs * attempt).then(tryOnce);
        }
        throw error;
      });
    }
    return tryOnce();
  }

  /** Logs in now, once even when several calls ask at the same moment. */
  function login() {
    if (!loggingIn) {
      loggingIn = loginNow().then(function (session) {
        loggingIn = null;
        return session;
      }, function (error) {
        loggingIn = null;
        throw error;
      });
    }
    return loggingIn;
  }

  /** The stored session while it has more than sessionMarginMs left, else a new one. */
  function session() {
    var stored = read(sessionKey);
    if (stored && stored.token && Date.parse(stored.expiresAt) - Date.now() > opts.sessionMarginMs) {
      return Promise.resolve(stored);
    }
    return login();
  }

  function logout() {
    wxApi.removeStorageSync(sessionKey);
  }

  /** Calls a user function with the session; on 40101 logs in again and sends it once more. */
  function call(name, body) {
    return session().then(function (current) {
      return sendRetrying(name, body, current.token).then(function (answer) {
        if (answer.errcode !== ERRCODE.UNAUTHENTICATED) {
          return answer;
        }
        logout();
        return login().then(function (fresh) { return sendRetrying(name, body, fresh.token); });
      });
    }).then(function (answer) {
      if (answer.errcode !== ERRCODE.OK) {
        throw WxPayError('api', name + ': ' + answer.errmsg, answer.errcode);
      }
      return answer.data;
    });
  }

  function queryOrder(outTradeNo) {
    return call('queryOrder', { outTradeNo: outTradeNo });
  }

  /**
   * The checkout key for this user and cart: the stored one when the cart is the same (a retry), else a new
   * one, stored before it is used.
   */
  function checkoutFor(openid, cart, fresh) {
    var stored = read(checkoutKey);
    if (!fresh && stored && stored.openid === openid && stored.cart === cart) {
      return stored;
    }
    var checkout = { openid: openid, cart: cart, key: newIdempotencyKey() };
    wxApi.setStorageSync(checkoutKey, checkout);
    return checkout;
  }

  function forgetCheckout() {
    wxApi.removeStorageSync(checkoutKey);
  }

  /** Once this order is paid its key is spent; a checkout of another cart keeps its own. */
  function checkoutPaid(outTradeNo) {
    var stored = read(checkoutKey);
    if (stored && stored.outTradeNo === outTradeNo) {
      forgetCheckout();
    }
  }

  /**
   * unifiedOrder for these items ([{productId, quantity}]); resolves with {order, payment}. The amount is the
   * server's (its catalogue), not the page's. An order already paid comes back with payment null: pay() then
   * answers it as paid without asking the user again.
   */
  function createOrder(items, options) {
    var cart = cartKey(items);
    var explicitKey = options && options.idempotencyKey;
    return session().then(function (current) {
      function place(fresh) {
        var checkout = explicitKey ? null : checkoutFor(current.openid, cart, fresh);
        var key = explicitKey || checkout.key;
        return call('unifiedOrder', { idempotencyKey: key, items: items }).then(function (placed) {
          var order = placed.order;
          if (!placed.payment && !isPaid(order) && !fresh && !explicitKey) {
            return place(true); // this key's order was closed or failed: a new checkout
          }
          if (checkout) {
            checkout.outTradeNo = order.outTradeNo;
            wxApi.setStorageSync(checkoutKey, checkout);
          }
          if (isPaid(order)) {
            checkoutPaid(order.outTradeNo);
          }
          return placed;
        }, function (error) {
          if (error.errcode === ERRCODE.IDEMPOTENCY_CONFLICT && !fresh && !explicitKey) {
            return place(true);
          }
          throw error;
        });
      }
      return place(false);
    });
  }

  /** queryOrder until done(order) or the bounded backoff runs out; resolves with the last answer. */
  function waitForOrder(outTradeNo, done, delaysMs) {
    var delays = delaysMs || opts.waitDelaysMs;
    var step = 0;
    function poll() {
      return queryOrder(outTradeNo).then(function (order) {
        if (done(order) || step >= delays.length) {
          return order;
        }
        return sleep(delays[step++]).then(poll);
      });
    }
    return poll();
  }

  /** Waits for the server's verdict on a payment: anything but NOTPAY, or NOTPAY when the wait runs out. */
  function waitPaid(outTradeNo, delaysMs) {
    return waitForOrder(outTradeNo, function (order) { return order.status !== 'NOTPAY'; }, delaysMs);
  }

  function requestPayment(payment) {
    return new Promise(function (resolve) {
      wxApi.requestPayment({
        timeStamp: payment.timeStamp,
        nonceStr: payment.nonceStr,
        package: payment.package,
        signType: payment.signType,
        paySign: payment.paySign,
        success: function () { resolve({ ok: true }); },
        fail: function (err) { resolve({ ok: false, errMsg: (err && err.errMsg) || 'requestPayment:fail' }); }
      });
    });
  }

  /**
   * wx.requestPayment with what createOrder answered, then the server's verdict. Resolves with
   * {outcome, order, errMsg?}: 'paid' (the server has the payment), 'cancelled' (the user closed the cashier;
   * the order stays payable and a new checkout of the same cart returns it), 'failed' (WeChat refused: errMsg
   * says why), 'unconfirmed' (the user paid but the server has not seen it within the wait: show "confirming"
   * and look again later with queryOrder).
   */
  function pay(placed) {
    var order = placed.order;
    if (isPaid(order)) {
      return Promise.resolve({ outcome: 'paid', order: order });
    }
    if (!placed.payment) {
      return Promise.resolve({ outcome: 'failed', order: order, errMsg: 'order ' + order.status + ' is not payable' });
    }
    return requestPayment(placed.payment).then(function (result) {
      if (result.ok) {
        return waitPaid(order.outTradeNo).then(function (latest) {
          if (isPaid(latest)) {
            checkoutPaid(latest.outTradeNo);
            return { outcome: 'paid', order: latest };
          }
          return latest.status === 'NOTPAY'
            ? { outcome: 'unconfirmed', order: latest }
            : { outcome: 'failed', order: latest, errMsg: 'order ' + latest.status };
        });
      }
      if (isUserCancel(result.errMsg)) {
        return { outcome: 'cancelled', order: order };
      }
      // WeChat said it failed; the server is asked once, since a payment can succeed while its answer is lost.
      return queryOrder(order.outTradeNo).then(function (latest) {
        if (isPaid(latest)) {
          checkoutPaid(latest.outTradeNo);
          return { outcome: 'paid', order: latest };
        }
        return { outcome: 'failed', order: latest, errMsg: result.errMsg };
      });
    });
  }

  /** createOrder, then pay. */
  function checkout(items, options) {
    return createOrder(items, options).then(pay);
  }

  function closeOrder(outTradeNo) {
    return call('closeOrder', { outTradeNo: outTradeNo });
  }

  /** The owner's refund of the whole order; resolves with {refund, order}. Asking again returns the same refund. */
  function refund(outTradeNo, reason) {
    var body = { outTradeNo: outTradeNo };
    if (reason) {
      body.reason = reason;
    }
    return call('refund', body);
  }

  function queryRefund(outRefundNo) {
    return call('queryRefund', { outRefundNo: outRefundNo });
  }

  /** queryRefund until the refund is no longer PROCESSING or the backoff runs out; resolves {refund, order}. */
  function waitRefund(outRefundNo, delaysMs) {
    var delays = delaysMs || opts.waitDelaysMs;
    var step = 0;
    function poll() {
      return queryRefund(outRefundNo).then(function (answer) {
        if (answer.refund.status !== 'PROCESSING' || step >= delays.length) {
          return answer;
        }
        return sleep(delays[step++]).then(poll);
      });
    }
    return poll();
  }

  /**
   * One page of the user's orders, newest first: filter {payStatus?, status?}, page {limit?, cursor?}.
   * Resolves {orders, nextCursor}; pass nextCursor back with the same filter for the next page (null: no more).
   */
  function listOrders(query) {
    var body = {};
    ['payStatus', 'status', 'limit', 'cursor'].forEach(function (field) {
      if (query && query[field] !== undefined && query[field] !== null) {
        body[field] = query[field];
      }
    });
    return call('listOrders', body);
  }

  return {
    login: login,
    session: session,
    logout: logout,
    call: call,
    createOrder: createOrder,
    pay: pay,
    checkout: checkout,
    waitPaid: waitPaid,
    waitForOrder: waitForOrder,
    queryOrder: queryOrder,
    closeOrder: closeOrder,
    refund: refund,
    queryRefund: queryRefund,
    waitRefund: waitRefund,
    listOrders: listOrders,
    forgetCheckout: forgetCheckout
  };
}

module.exports = {
  createClient: createClient,
  ERRCODE: ERRCODE,
  ORDER_TABS: ORDER_TABS,
  STATUS_TEXT: STATUS_TEXT,
  isPaid: isPaid,
  isUserCancel: isUserCancel,
  canRefund: canRefund,
  statusText: statusText,
  yuan: yuan,
  cartKey: cartKey
};
