'use strict';
/*
 * A stand-in for the mini-program's `wx` object under Node.js, wired to the real thing: wx.request goes to the
 * running functions (FUNCTIONS_URL), wx.login to the simulator's /sim/login for this shim's user, and
 * wx.requestPayment to the simulator's /sim/requestPayment, which checks the paySign (over this app's APPID and
 * the four parameters the page passes) as WeChat does, then pays.
 * The shopper's choice at the cashier and lost answers are set per test.
 */

const FUNCTIONS_URL = required('FUNCTIONS_URL');
const SIMULATOR_URL = required('SIMULATOR_URL');
/** The mini-program's own appid: wx.requestPayment takes none, WeChat signs with the running app's. */
const APPID = required('APPID');

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(name + ' is not set: these tests run from MiniProgramModuleTest (mvn verify)');
  }
  return value.replace(/\/+$/, '');
}

async function postJson(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/**
 * @param user the simulated WeChat user this phone belongs to
 * @returns the wx object, plus `shim` (controls and a log of what happened)
 */
function createWx(user) {
  const storage = new Map();
  const shim = {
    user,
    /** What the shopper does at the next cashiers: 'pay', 'cancel', 'fail' or 'pay-drop-notification'. */
    cashier: [],
    /** Function names whose next answer is lost after the server handled the request (a timeout). */
    loseAnswerOf: [],
    /** Every wx.request: {fn, errcode} (errcode null when the answer was lost). */
    requests: [],
    logins: 0,
    payments: [],
    calls(fn) {
      return this.requests.filter((r) => r.fn === fn);
    }
  };

  function complete(o, result) {
    setImmediate(() => {
      if (result.ok) {
        if (o.success) o.success(result.value);
      } else if (o.fail) {
        o.fail(result.value);
      }
      if (o.complete) o.complete(result.value);
    });
  }

  const wx = {
    shim,
    getStorageSync(key) {
      return storage.has(key) ? structuredClone(storage.get(key)) : '';
    },
    setStorageSync(key, value) {
      storage.set(key, structuredClone(value));
    },
    removeStorageSync(key) {
      storage.delete(key);
    },
    login(o) {
      shim.logins += 1;
      postJson(SIMULATOR_URL + '/sim/login', { user }).then(
        (answer) => complete(o, answer.status === 200
          ? { ok: true, value: { code: answer.body.code, errMsg: 'login:ok' } }
          : { ok: false, value: { errMsg: 'login:fail ' + answer.status } }),
        (e) => complete(o, { ok: false, value: { errMsg: 'login:fail ' + e.message } }));
    },
    request(o) {
      if (!o.url.startsWith(FUNCTIONS_URL + '/')) {
        complete(o, { ok: false, value: { errMsg: 'request:fail url not in domain list' } });
        return;
      }
      const fn = o.url.slice(FUNCTIONS_URL.length + 1);
      const lose = shim.loseAnswerOf.indexOf(fn);
      if (lose >= 0) {
        shim.loseAnswerOf.splice(lose, 1);
      }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), o.timeout || 60000);
      fetch(o.url, { method: o.method || 'GET', headers: o.header, body: JSON.stringify(o.data),
        signal: controller.signal })
        .then(async (response) => {
          const text = await response.text();
          let data;
          try {
            data = JSON.parse(text);
          } catch (e) {
            data = text;
          }
          if (lose >= 0) {
            shim.requests.push({ fn, errcode: null, body: o.data });
            complete(o, { ok: false, value: { errMsg: 'request:fail timeout' } });
            return;
          }
          shim.requests.push({ fn, errcode: data && data.errcode, body: o.data });
          complete(o, { ok: true, value: { statusCode: response.status, data, header: {} } });
        })
        .catch((e) => complete(o, { ok: false, value: { errMsg: 'request:fail ' + e.message } }))
        .finally(() => clearTimeout(timer));
    },
    requestPayment(o) {
      const choice = shim.cashier.length ? shim.cashier.shift() : 'pay';
      const params = { appId: APPID, timeStamp: o.timeStamp, nonceStr: o.nonceStr, package: o.package,
        signType: o.signType, paySign: o.paySign };
      shim.payments.push({ choice, package: o.package });
      if (choice === 'cancel') {
        complete(o, { ok: false, value: { errMsg: 'requestPayment:fail cancel' } });
        return;
      }
      if (choice === 'fail') {
        complete(o, { ok: false, value: { errMsg: 'requestPayment:fail 余额不足' } });
        return;
      }
      params.drop_notification = choice === 'pay-drop-notification';
      postJson(SIMULATOR_URL + '/sim/requestPayment', params).then(
        (answer) => complete(o, answer.status === 200
          ? { ok: true, value: { errMsg: 'requestPayment:ok' } }
          : { ok: false, value: { errMsg: 'requestPayment:fail ' + JSON.stringify(answer.body) } }),
        (e) => complete(o, { ok: false, value: { errMsg: 'requestPayment:fail ' + e.message } }));
    }
  };
  return wx;
}

/** A user name no earlier run or other test has used, so the user's order list starts empty. */
function freshUser(prefix) {
  return prefix + '-' + process.pid + '-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 8);
}

module.exports = { createWx, freshUser, postJson, FUNCTIONS_URL, SIMULATOR_URL };
