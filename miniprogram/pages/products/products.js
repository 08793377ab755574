const wxpay = require('../../utils/wxpay.js');

// What the page shows. The server prices every order from its own catalogue (CATALOGUE_PATH), so the amount
// charged is the one unifiedOrder answers, whatever this list says.
const PRODUCTS = [
  { id: 'coffee-latte', name: '拿铁咖啡', price: 2800 },
  { id: 'coffee-americano', name: '美式咖啡', price: 2200 },
  { id: 'cake-cheese', name: '芝士蛋糕', price: 3500 },
  { id: 'mug', name: 'Logo mug', price: 5900 }
];

Page({
  data: {
    products: PRODUCTS.map((p) => Object.assign({ qty: 0, priceText: wxpay.yuan(p.price) }, p)),
    totalText: '0.00',
    empty: true,
    paying: false
  },

  onQtyTap(e) {
    const { id, delta } = e.currentTarget.dataset;
    const products = this.data.products.map((p) => (p.id === id
      ? Object.assign({}, p, { qty: Math.max(0, Math.min(999, p.qty + Number(delta))) }) : p));
    const total = products.reduce((sum, p) => sum + p.qty * p.price, 0);
    this.setData({ products, totalText: wxpay.yuan(total), empty: total === 0 });
  },

  /** Order and pay. Tapping again after a timeout or a cancel pays the same order, never a second one. */
  onCheckout() {
    const items = this.data.products.filter((p) => p.qty > 0).map((p) => ({ productId: p.id, quantity: p.qty }));
    if (!items.length || this.data.paying) {
      return Promise.resolve(null);
    }
    this.setData({ paying: true });
    const app = getApp();
    return app.client.checkout(items).then((result) => {
      this.setData({ paying: false });
      if (result.outcome === 'paid') {
        this.setData({ products: this.data.products.map((p) => Object.assign({}, p, { qty: 0 })), totalText: '0.00', empty: true });
        wx.showToast({ title: '支付成功', icon: 'success' });
        app.ordersTab = 'paid';
        wx.switchTab({ url: '/pages/orders/orders' });
      } else if (result.outcome === 'cancelled') {
        wx.showToast({ title: '已取消支付', icon: 'none' });
      } else if (result.outcome === 'unconfirmed') {
        // Paid at WeChat, not yet seen by the server: the order list shows it once queryOrder or the callback has.
        wx.showToast({ title: '支付结果确认中', icon: 'none' });
        wx.switchTab({ url: '/pages/orders/orders' });
      } else {
        wx.showModal({ title: '支付失败', content: result.errMsg || '', showCancel: false });
      }
      return result;
    }, (error) => {
      this.setData({ paying: false });
      wx.showModal({ title: '下单失败', content: error.message, showCancel: false });
      return null;
    });
  }
});
