// Runs the documented verifyOrderEvent on each case read from stdin as JSON
// [{secret, bodyBase64, headers, nowSeconds}] and prints the results as a JSON array of booleans.
const { verifyOrderEvent } = require('./verify-order-event.js');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const results = JSON.parse(input).map((c) =>
    verifyOrderEvent(c.secret, Buffer.from(c.bodyBase64, 'base64'), c.headers, c.nowSeconds));
  process.stdout.write(JSON.stringify(results));
});
