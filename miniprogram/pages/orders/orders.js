const wxpay = require('../../utils/wxpay.js');

/** An order with the texts the page shows. */
function view(order) {
  return Object.assign({}, order, {
    totalText: wxpay.yuan(order.total),
    refundedText: order.refundedTotal > 0 ? wxpay.yuan(order.refundedTotal) : '',
    statusText: wxpay.statusText(order),
    canRefund: wxpay.canRefund(order)
  });
}

Page({
  data: {
    tabs: wxpay.ORDER_TABS,
    tab: 'all',
    orders: [],
    cursor: null,
    loading: false,
    noMore: false
  },

  pageSize: 10,

  onShow() {
    const app = getApp();
    if (app.ordersTab) {
      this.setData({ tab: app.ordersTab });
      app.ordersTab = null;
    }
    return this.reload();
  },

  onPullDownRefresh() {
    return this.reload().then(() => wx.stopPullDownRefresh());
  },

  onReachBottom() {
    return this.loadMore();
  },

  onTabTap(e) {
    this.setData({ tab: e.currentTarget.dataset.key });
    return this.reload();
  },

  reload() {
    this.setData({ orders: [], cursor: null, noMore: false });
    this.generation = (this.generation || 0) + 1;
    return this.loadMore();
  },

  /** The next page of the current tab: listOrders with its payStatus, and the cursor the last page gave. */
  loadMore() {
    if (this.data.loading || this.data.noMore) {
      return Promise.resolve();
    }
    const generation = this.generation;
    const tab = this.data.tabs.find((t) => t.key === this.data.tab);
    this.setData({ loading: true });
    return getApp().client.listOrders({ payStatus: tab.payStatus, limit: this.pageSize, cursor: this.data.cursor })
      .then((page) => {
        if (generation !== this.generation) {
          return; // the tab changed while this page was on its way
        }
        this.setData({
          orders: this.data.orders.concat(page.orders.map(view)),
          cursor: page.nextCursor,
          noMore: !page.nextCursor,
          loading: false
        });
      }, (error) => {
        this.setData({ loading: false });
        wx.showToast({ title: error.message, icon: 'none' });
      });
  },

  /** Refunds the whole order, then follows the refund until WeChat Pay has finished it. */
  onRefundTap(e) {
    const outTradeNo = e.currentTarget.dataset.no;
    const client = getApp().client;
    return new Promise((resolve) => {
      wx.showModal({ title: '申请退款', content: '全额退款将原路退回，确定吗？', success: (res) => resolve(res.confirm) });
    }).then((confirmed) => {
      if (!confirmed) {
        return null;
      }
      return client.refund(outTradeNo, '用户申请退款').then((answer) => {
        this.replace(answer.order);
        return client.waitRefund(answer.refund.outRefundNo);
      }).then((done) => {
        this.replace(done.order);
        wx.showToast({ title: done.order.status === 'REFUNDED' ? '退款成功' : '退款处理中', icon: 'none' });
        return done;
      });
    }).catch((error) => {
      wx.showToast({ title: error.message, icon: 'none' });
      return null;
    });
  },

  replace(order) {
    this.setData({ orders: this.data.orders.map((o) => (o.outTradeNo === order.outTradeNo ? view(order) : o)) });
  }
});
