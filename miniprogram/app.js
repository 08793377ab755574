const wxpay = require('./utils/wxpay.js');
const config = require('./config.js');

App({
  onLaunch() {
    // One client for every page: it keeps the session and the checkout key in storage.
    this.client = wxpay.createClient({ functions: config.functions });
  }
});
