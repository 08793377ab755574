package io.wxpayfn.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wxpayfn.order.WeChatPayRules;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/** The /v3 merchant API: authentication, validation, business calls, faults and response signing. */
final class MerchantApi {

    private final SimulatorOptions options;
    private final Map<Endpoint, String> baseUrls;
    private final RequestAuthenticator authenticator;
    private final PlatformIdentity platform;
    private final String apiV3Key;
    private final TransactionBook book;
    private final MiniProgramIdentity identity;
    private final FaultPlan faults;
    private final Consumer<SimRefund> onRefundStarted;
    private final CountDownLatch stopped;
    private final Map<String, byte[]> billFiles = new ConcurrentHashMap<>();
    private final List<LoggedRequest> requestLog = new ArrayList<>();

    /** One authenticated /v3 request: where it arrived, method and path (no query). */
    record LoggedRequest(Endpoint endpoint, String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    MerchantApi(
            SimulatorOptions options,
            Map<Endpoint, String> baseUrls,
            RequestAuthenticator authenticator,
            PlatformIdentity platform,
            String apiV3Key,
            TransactionBook book,
            MiniProgramIdentity identity,
            FaultPlan faults,
            Consumer<SimRefund> onRefundStarted,
            CountDownLatch stopped) {
        this.options = options;
        this.baseUrls = Map.copyOf(baseUrls);
        this.authenticator = authenticator;
        this.platform = platform;
        this.apiV3Key = apiV3Key;
        this.book = book;
        this.identity = identity;
        this.faults = faults;
        this.onRefundStarted = onRefundStarted;
        this.stopped = stopped;
    }

    Router router() {
        return new Router(this::guarded)
                .add("POST", "/v3/pay/transactions/jsapi", this::prepay)
                .add("GET", "/v3/pay/transactions/out-trade-no/([^/]+)", this::queryByOutTradeNo)
                .add("GET", "/v3/pay/transactions/id/([^/]+)", this::queryById)
                .add("POST", "/v3/pay/transactions/out-trade-no/([^/]+)/close", this::close)
                .add("POST", "/v3/pay/partner/transactions/jsapi", this::partnerPrepay)
                .add("GET", "/v3/pay/partner/transactions/out-trade-no/([^/]+)", this::partnerQueryByOutTradeNo)
                .add("GET", "/v3/pay/partner/transactions/id/([^/]+)", this::partnerQueryById)
                .add("POST", "/v3/pay/partner/transactions/out-trade-no/([^/]+)/close", this::partnerClose)
                .add("POST", "/v3/refund/domestic/refunds", this::createRefund)
                .add("GET", "/v3/refund/domestic/refunds/([^/]+)", this::queryRefund)
                .add("GET", "/v3/bill/tradebill", this::tradeBill)
                .add("GET", "/v3/billdownload/file", this::downloadBill)
                .add("GET", "/v3/certificates", this::certificates);
    }

    /** Every authenticated /v3 request, in arrival order. */
    synchronized List<LoggedRequest> requests() {
        return List.copyOf(requestLog);
    }

    private synchronized void logRequest(SimRequest request) {
        requestLog.add(new LoggedRequest(request.endpoint(), request.method(), request.path()));
    }

    /** Around every route: authenticate, inject faults, sign 2xx JSON and 204 answers. */
    private Router.Handler guarded(Router.Handler handler) {
        return request -> {
            authenticator.authenticate(request); // one merchant: a valid header names options.mchid()
            logRequest(request);
            Optional<ApiFailure> before = faults.takeApiFailure(request.path(), false);
            if (before.isPresent()) {
                if (!before.get().isHang()) {
                    throw before.get().error();
                }
                if (hangInterrupted(before.get().hang())) {
                    return null;
                }
            }
            SimResponse response = handler.handle(request);
            Optional<ApiFailure> after = faults.takeApiFailure(request.path(), true);
            if (after.isPresent()) {
                if (!after.get().isHang()) {
                    throw after.get().error();
                }
                if (hangInterrupted(after.get().hang())) {
                    return null;
                }
            }
            return sign(request, response);
        };
    }

    private boolean hangInterrupted(Duration hang) throws InterruptedException {
        return stopped.await(hang.toMillis(), TimeUnit.MILLISECONDS);
    }

    private SimResponse sign(SimRequest request, SimResponse response) {
        boolean signable = response.status() >= 200
                && response.status() < 300
                && (response.body().length == 0 || SimResponse.JSON.equals(response.contentType()));
        if (!signable) {
            return response;
        }
        String serial = platform.responseSerial(
                request.header("Wechatpay-Serial"), request.path().equals("/v3/certificates"));
        PlatformIdentity.SignedHeaders signed = platform.sign(response.bodyText(), serial);
        return response.withHeader("Wechatpay-Timestamp", signed.timestamp())
                .withHeader("Wechatpay-Nonce", signed.nonce())
                .withHeader("Wechatpay-Signature", signed.signature())
                .withHeader("Wechatpay-Serial", signed.serial())
                .withHeader("Wechatpay-Signature-Type", PlatformIdentity.SignedHeaders.SIGNATURE_TYPE);
    }

    private SimResponse prepay(SimRequest request) {
        JsonNode body = parse(request);
        requireOwnMchid(requiredText(body, "mchid", 1, WeChatPayRules.MCHID_MAX_LENGTH));
        if (!options.appid().equals(requiredText(body, "appid", 1, WeChatPayRules.APPID_MAX_LENGTH))) {
            throw new ApiError(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
        }
        OrderFields order = orderFields(body);
        String openid = requiredText(requiredObject(body, "payer"), "openid", 1, 128);
        if (!identity.knows(openid, options.appid())) {
            throw ApiError.param("payer.openid", "openid和appid不匹配");
        }
        SimTransaction draft = new SimTransaction(
                options.appid(),
                options.mchid(),
                order.outTradeNo(),
                order.description(),
                order.attach(),
                order.notifyUrl(),
                order.total(),
                order.currency(),
                openid,
                order.timeExpire(),
                null,
                book.now(),
                TradeState.NOTPAY,
                null,
                null,
                null,
                null,
                null);
        return json(
                200,
                WireFormat.JSON
                        .createObjectNode()
                        .put("prepay_id", book.prepay(draft, body).prepayId()));
    }

    /** What the direct and the partner prepay share, validated the same way. */
    private record OrderFields(
            String description,
            String outTradeNo,
            OffsetDateTime timeExpire,
            String attach,
            String notifyUrl,
            long total,
            String currency) {}

    private OrderFields orderFields(JsonNode body) {
        String description = requiredText(body, "description", 1, WeChatPayRules.DESCRIPTION_MAX_LENGTH);
        String outTradeNo = requiredText(body, "out_trade_no", 1, WeChatPayRules.OUT_TRADE_NO_MAX_LENGTH);
        if (!WeChatPayRules.OUT_TRADE_NO.matcher(outTradeNo).matches()) {
            throw ApiError.param("out_trade_no", "out_trade_no 只能是数字、大小写字母_-|*，长度6-32");
        }
        OffsetDateTime timeExpire =
                optionalText(body, "time_expire", 64).map(this::rfc3339).orElse(null);
        String attach = optionalText(body, "attach", 128).orElse(null);
        String notifyUrl = notifyUrl(requiredText(body, "notify_url", 1, 255), "notify_url");
        JsonNode amount = requiredObject(body, "amount");
        return new OrderFields(
                description,
                outTradeNo,
                timeExpire,
                attach,
                notifyUrl,
                positiveInt(amount, "total", "amount.total"),
                currency(amount, "amount.currency"));
    }

    /**
     * The service provider's JSAPI prepay for a bound sub-merchant: sp_appid and sp_mchid are the
     * provider's, sub_mchid must be bound to it (else 403 NO_AUTH, {@link WeChatCodes}), sub_appid (if
     * any) the sub-merchant's own mini-program; the payer is named by sp_openid (an openid of sp_appid)
     * or sub_openid (an openid of sub_appid, which it then requires).
     */
    private SimResponse partnerPrepay(SimRequest request) {
        JsonNode body = parse(request);
        String spAppid = requiredText(body, "sp_appid", 1, WeChatPayRules.APPID_MAX_LENGTH);
        requireOwnMchid(requiredText(body, "sp_mchid", 1, WeChatPayRules.MCHID_MAX_LENGTH), "sp_mchid");
        SimSubMerchant sub = boundSubMerchant(requiredText(body, "sub_mchid", 1, WeChatPayRules.MCHID_MAX_LENGTH));
        if (!options.appid().equals(spAppid)) {
            throw WeChatCodes.appidNotBound("sp_appid");
        }
        Optional<String> subAppid = optionalText(body, "sub_appid", WeChatPayRules.APPID_MAX_LENGTH);
        if (subAppid.isPresent() && !subAppid.get().equals(sub.subAppid())) {
            throw WeChatCodes.appidNotBound("sub_appid");
        }
        OrderFields order = orderFields(body);
        JsonNode payer = requiredObject(body, "payer");
        Optional<String> spOpenid = optionalText(payer, "sp_openid", 128);
        Optional<String> subOpenid = optionalText(payer, "sub_openid", 128);
        if (spOpenid.isEmpty() && subOpenid.isEmpty()) {
            throw ApiError.param("payer", "payer.sp_openid 和 payer.sub_openid 必须传其中一个");
        }
        if (spOpenid.isPresent() && !identity.knows(spOpenid.get(), spAppid)) {
            throw ApiError.param("payer.sp_openid", "sp_openid 和 sp_appid 不匹配");
        }
        if (subOpenid.isPresent() && subAppid.isEmpty()) {
            throw ApiError.param("sub_appid", "传入 sub_openid 时 sub_appid 为必填");
        }
        if (subOpenid.isPresent() && !identity.knows(subOpenid.get(), subAppid.get())) {
            throw ApiError.param("payer.sub_openid", "sub_openid 和 sub_appid 不匹配");
        }
        String payerSpOpenid = spOpenid.orElseGet(() -> identity.sameUserUnder(subOpenid.get(), spAppid));
        SimTransaction draft = new SimTransaction(
                spAppid,
                options.mchid(),
                order.outTradeNo(),
                order.description(),
                order.attach(),
                order.notifyUrl(),
                order.total(),
                order.currency(),
                payerSpOpenid,
                order.timeExpire(),
                null,
                book.now(),
                TradeState.NOTPAY,
                null,
                null,
                sub.subMchid(),
                subAppid.orElse(null),
                subOpenid.orElse(null));
        return json(
                200,
                WireFormat.JSON
                        .createObjectNode()
                        .put("prepay_id", book.prepay(draft, body).prepayId()));
    }

    private SimResponse queryByOutTradeNo(SimRequest request) {
        requireOwnMchid(requiredQuery(request, "mchid"));
        return json(
                200,
                WireFormat.transaction(book.transaction(request.pathParam(0))
                        .filter(t -> t.belongsTo(null))
                        .orElseThrow(WeChatCodes::orderNotExist)));
    }

    private SimResponse queryById(SimRequest request) {
        requireOwnMchid(requiredQuery(request, "mchid"));
        return json(
                200,
                WireFormat.transaction(book.transactionById(request.pathParam(0))
                        .filter(t -> t.belongsTo(null))
                        .orElseThrow(WeChatCodes::orderNotExist)));
    }

    private SimResponse close(SimRequest request) {
        requireOwnMchid(requiredText(parse(request), "mchid", 1, WeChatPayRules.MCHID_MAX_LENGTH));
        book.close(request.pathParam(0), null);
        return SimResponse.noContent();
    }

    private SimResponse partnerQueryByOutTradeNo(SimRequest request) {
        String subMchid = partnerQuery(request);
        return json(
                200,
                WireFormat.transaction(book.transaction(request.pathParam(0))
                        .filter(t -> t.belongsTo(subMchid))
                        .orElseThrow(WeChatCodes::orderNotExist)));
    }

    private SimResponse partnerQueryById(SimRequest request) {
        String subMchid = partnerQuery(request);
        return json(
                200,
                WireFormat.transaction(book.transactionById(request.pathParam(0))
                        .filter(t -> t.belongsTo(subMchid))
                        .orElseThrow(WeChatCodes::orderNotExist)));
    }

    private SimResponse partnerClose(SimRequest request) {
        JsonNode body = parse(request);
        requireOwnMchid(requiredText(body, "sp_mchid", 1, WeChatPayRules.MCHID_MAX_LENGTH), "sp_mchid");
        String subMchid = boundSubMerchant(requiredText(body, "sub_mchid", 1, WeChatPayRules.MCHID_MAX_LENGTH))
                .subMchid();
        book.close(request.pathParam(0), subMchid);
        return SimResponse.noContent();
    }

    /** Checks a partner query's sp_mchid and sub_mchid and answers the sub_mchid. */
    private String partnerQuery(SimRequest request) {
        requireOwnMchid(requiredQuery(request, "sp_mchid"), "sp_mchid");
        return boundSubMerchant(requiredQuery(request, "sub_mchid")).subMchid();
    }

    private SimSubMerchant boundSubMerchant(String subMchid) {
        return options.subMerchant(subMchid).orElseThrow(() -> WeChatCodes.subMerchantNotBound(subMchid));
    }

    /** With sub_mchid (a bound sub-merchant's) the refund is of a partner order, without it of a direct one. */
    private SimResponse createRefund(SimRequest request) {
        JsonNode body = parse(request);
        String subMchid = optionalText(body, "sub_mchid", WeChatPayRules.MCHID_MAX_LENGTH)
                .map(this::boundSubMerchant)
                .map(SimSubMerchant::subMchid)
                .orElse(null);
        Optional<String> outTradeNo = optionalText(body, "out_trade_no", WeChatPayRules.OUT_TRADE_NO_MAX_LENGTH);
        Optional<String> transactionId = optionalText(body, "transaction_id", 32);
        if (outTradeNo.isEmpty() && transactionId.isEmpty()) {
            throw ApiError.param("out_trade_no", "transaction_id 和 out_trade_no 必须二选一");
        }
        String outRefundNo = requiredText(body, "out_refund_no", 1, WeChatPayRules.OUT_REFUND_NO_MAX_LENGTH);
        if (!WeChatPayRules.OUT_REFUND_NO.matcher(outRefundNo).matches()) {
            throw ApiError.param("out_refund_no", "out_refund_no 只能是数字、大小写字母_-|*@");
        }
        String reason = optionalText(body, "reason", WeChatPayRules.REFUND_REASON_MAX_LENGTH)
                .orElse(null);
        String notifyUrl = optionalText(body, "notify_url", 256)
                .map(u -> notifyUrl(u, "notify_url"))
                .orElse(null);
        JsonNode amount = requiredObject(body, "amount");
        long refund = positiveInt(amount, "refund", "amount.refund");
        long total = positiveInt(amount, "total", "amount.total");
        String currency = currency(amount, "amount.currency");
        if (refund > total) {
            throw ApiError.param("amount.refund", "退款金额不能大于订单金额");
        }
        SimRefund draft = new SimRefund(
                null,
                outRefundNo,
                outTradeNo.orElse(null),
                null,
                reason,
                notifyUrl,
                refund,
                total,
                currency,
                RefundStatus.PROCESSING,
                null,
                null);
        Optional<ApiFailure> refusal = faults.takeRefundRefusal(outRefundNo);
        if (refusal.isPresent()) {
            book.recordRefusedRefund(draft, transactionId.orElse(null), subMchid);
            throw refusal.get().error();
        }
        TransactionBook.RefundApplication application = book.applyRefund(draft, transactionId.orElse(null), subMchid);
        if (application.started()) {
            onRefundStarted.accept(application.refund());
        }
        return json(200, WireFormat.refund(application.refund()));
    }

    /** {@code ?sub_mchid=}: a partner order's refund, seen only under its own sub-merchant. */
    private SimResponse queryRefund(SimRequest request) {
        String subMchid = Optional.ofNullable(request.query().get("sub_mchid"))
                .map(this::boundSubMerchant)
                .map(SimSubMerchant::subMchid)
                .orElse(null);
        return json(
                200,
                WireFormat.refund(book.refund(request.pathParam(0))
                        .filter(r -> book.transaction(r.outTradeNo())
                                .map(t -> t.belongsTo(subMchid))
                                .orElse(false))
                        .orElseThrow(WeChatCodes::refundNotExist)));
    }

    private SimResponse tradeBill(SimRequest request) throws IOException {
        LocalDate date;
        try {
            date = LocalDate.parse(requiredQuery(request, "bill_date"));
        } catch (DateTimeParseException e) {
            throw ApiError.param("bill_date", "bill_date 格式应为 yyyy-MM-dd");
        }
        if (date.isAfter(book.now().toLocalDate())) {
            throw ApiError.invalidRequest("账单日期不能晚于今天");
        }
        BillWriter.BillType type;
        try {
            type = BillWriter.BillType.valueOf(request.query().getOrDefault("bill_type", "ALL"));
        } catch (IllegalArgumentException e) {
            throw ApiError.param("bill_type", "bill_type 只能是 ALL、SUCCESS 或 REFUND");
        }
        String tarType = request.query().get("tar_type");
        if (tarType != null && !tarType.equals("GZIP")) {
            throw ApiError.param("tar_type", "tar_type 只能是 GZIP");
        }
        // A provider's bill with sub_mchid holds that sub-merchant's trades only; without it, all of them
        String subMchid = Optional.ofNullable(request.query().get("sub_mchid"))
                .map(this::boundSubMerchant)
                .map(SimSubMerchant::subMchid)
                .orElse(null);
        List<SimTransaction> trades = book.transactions().stream()
                .filter(t -> subMchid == null || subMchid.equals(t.subMchid()))
                .toList();
        String csv = BillWriter.write(date, type, trades, book.refunds());
        if (csv == null) {
            throw new ApiError(400, "NO_STATEMENT_EXIST", "账单文件不存在");
        }
        byte[] plain = csv.getBytes(StandardCharsets.UTF_8);
        String token = SimCrypto.randomAlnum(40);
        billFiles.put(token, tarType == null ? plain : gzip(plain));
        ObjectNode answer = WireFormat.JSON.createObjectNode();
        answer.put("hash_type", "SHA1");
        answer.put("hash_value", SimCrypto.sha1Hex(plain)); // over the uncompressed file
        // on the endpoint that answered, so a bill applied for at the backup domain is downloaded there too
        answer.put("download_url", baseUrls.get(request.endpoint()) + "/v3/billdownload/file?token=" + token);
        return json(200, answer);
    }

    private SimResponse downloadBill(SimRequest request) {
        byte[] file = billFiles.get(requiredQuery(request, "token"));
        if (file == null) {
            throw WeChatCodes.billFileNotExist();
        }
        // The download is not signed by WeChat Pay: the SHA-1 from the apply step protects it
        return SimResponse.of(200, "application/octet-stream", file);
    }

    /** Platform-certificate mode: the certificate, encrypted with the APIv3 key like the real one. */
    private SimResponse certificates(SimRequest request) {
        String nonce = SimCrypto.randomAlnum(12);
        ObjectNode data = WireFormat.JSON.createObjectNode();
        data.put("serial_no", platform.certificateSerial());
        data.put(
                "effective_time",
                WireFormat.time(
                        platform.certificate().getNotBefore().toInstant().atOffset(java.time.ZoneOffset.UTC)));
        data.put(
                "expire_time",
                WireFormat.time(platform.certificate().getNotAfter().toInstant().atOffset(java.time.ZoneOffset.UTC)));
        ObjectNode encrypted = data.putObject("encrypt_certificate");
        encrypted.put("algorithm", "AEAD_AES_256_GCM");
        encrypted.put("nonce", nonce);
        encrypted.put("associated_data", "certificate");
        encrypted.put("ciphertext", SimCrypto.aesGcmEncrypt(apiV3Key, nonce, "certificate", platform.certificatePem()));
        ObjectNode answer = WireFormat.JSON.createObjectNode();
        ArrayNode list = answer.putArray("data");
        list.add(data);
        return json(200, answer);
    }

    private void requireOwnMchid(String mchid) {
        requireOwnMchid(mchid, "mchid");
    }

    private void requireOwnMchid(String mchid, String field) {
        if (!mchid.equals(options.mchid())) {
            throw ApiError.param(field, field + " 与请求签名中的商户号不一致");
        }
    }

    private String notifyUrl(String url, String field) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiError.param(field, field + " 格式错误");
        }
        if (uri.getRawQuery() != null) {
            throw ApiError.param(field, field + " 不能携带参数");
        }
        boolean https = "https".equals(uri.getScheme()) && uri.getHost() != null;
        boolean loopback = "http".equals(uri.getScheme())
                && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
        if (!https && !(loopback && options.allowHttpLoopbackNotify())) {
            throw ApiError.param(field, field + " 必须是 https 地址");
        }
        return url;
    }

    private OffsetDateTime rfc3339(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiError.param("time_expire", "time_expire 必须是 RFC3339 格式，如 2018-06-08T10:34:56+08:00");
        }
    }

    private static JsonNode parse(SimRequest request) {
        try {
            JsonNode node = WireFormat.JSON.readTree(request.body());
            if (node == null || !node.isObject()) {
                throw ApiError.param(null, "请求体不是 JSON 对象");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiError.param(null, "请求体无法解析为 JSON");
        }
    }

    private static String requiredText(JsonNode node, String field, int minLength, int maxLength) {
        return optionalText(node, field, maxLength)
                .filter(value -> value.codePointCount(0, value.length()) >= minLength)
                .orElseThrow(() -> ApiError.param(field, "字段 " + field + " 为必填项且不能为空"));
    }

    private static Optional<String> optionalText(JsonNode node, String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ApiError.param(field, "字段 " + field + " 应为字符串");
        }
        String text = value.asText();
        if (text.codePointCount(0, text.length()) > maxLength) {
            throw ApiError.param(field, "字段 " + field + " 长度不能超过 " + maxLength);
        }
        return Optional.of(text);
    }

    private static JsonNode requiredObject(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            throw ApiError.param(field, "字段 " + field + " 为必填项");
        }
        return value;
    }

    private static long positiveInt(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null
                || !value.isIntegralNumber()
                || value.asLong() <= 0
                || value.asLong() > WeChatPayRules.MAX_TOTAL_FEN) {
            throw ApiError.param(path, "字段 " + path + " 必须是大于0的整数（单位：分）");
        }
        return value.asLong();
    }

    private static String currency(JsonNode amount, String path) {
        JsonNode value = amount.get("currency");
        if (value != null && !"CNY".equals(value.asText())) {
            throw ApiError.param(path, "境内商户号只支持人民币 CNY");
        }
        return "CNY";
    }

    private static String requiredQuery(SimRequest request, String name) {
        String value = request.query().get(name);
        if (value == null || value.isEmpty()) {
            throw new ApiError(400, "PARAM_ERROR", "缺少查询参数 " + name, name);
        }
        return value;
    }

    private static SimResponse json(int status, JsonNode body) {
        return SimResponse.json(status, body.toString());
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
