/*
 * Where your functions answer. One URL when they share a host (scripts/run-local: http://127.0.0.1:8080), or one
 * per function when each is deployed on its own function URL (Tencent Cloud SCF web functions):
 *   functions: { login: 'https://…', unifiedOrder: 'https://…', queryOrder: 'https://…', closeOrder: 'https://…',
 *                refund: 'https://…', queryRefund: 'https://…', listOrders: 'https://…' }
 * Add each host to the mini-program's request domain list (request 合法域名).
 */
module.exports = {
  functions: 'https://your-functions.example.com'
};
