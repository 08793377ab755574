package io.wxpayfn.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A local stand-in for {@code api.mch.weixin.qq.com} (JSAPI payments, refunds, trade bills,
 * platform certificates) and {@code api.weixin.qq.com/sns/jscode2session}, strict enough that the
 * official wechatpay-java SDK cannot tell the difference. Keys are generated at every start.
 */
public final class WeChatPaySimulator implements AutoCloseable {

    private final SimulatorOptions options;
    private final PlatformIdentity platform = new PlatformIdentity();
    private final KeyPair merchantKeys = SimCrypto.newRsaKeyPair();
    private final String merchantSerialNumber = SimCrypto.randomHex(40);
    private final String apiV3Key = SimCrypto.randomAlnum(32);
    private final String appSecret = SimCrypto.randomHex(32).toLowerCase();
    private final TransactionBook book;
    private final FaultPlan faults = new FaultPlan();
    private final MiniProgramIdentity identity;
    private final NotificationDispatcher dispatcher;
    private final ScheduledExecutorService refundTimer =
            Executors.newSingleThreadScheduledExecutor(NotificationDispatcher.daemon("wxsim-refunds"));
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final HttpTransport transport = new HttpTransport();
    private final String baseUrl;
    private final String backupBaseUrl;
    private final MerchantApi merchantApi;

    private WeChatPaySimulator(SimulatorOptions options) {
        this.options = options;
        this.book = new TransactionBook(options.clock());
        Map<String, String> appSecrets = new LinkedHashMap<>();
        appSecrets.put(options.appid(), appSecret);
        options.subMerchants().stream()
                .map(SimSubMerchant::subAppid)
                .filter(java.util.Objects::nonNull)
                .forEach(subAppid ->
                        appSecrets.put(subAppid, SimCrypto.randomHex(32).toLowerCase()));
        this.identity = new MiniProgramIdentity(appSecrets, options.clock());
        this.dispatcher = new NotificationDispatcher(platform, apiV3Key, options, faults);
        this.baseUrl = "http://127.0.0.1:" + transport.start(Endpoint.PRIMARY, options.port());
        this.backupBaseUrl = "http://127.0.0.1:" + transport.start(Endpoint.BACKUP, 0);
        this.merchantApi = new MerchantApi(
                options,
                Map.of(Endpoint.PRIMARY, baseUrl, Endpoint.BACKUP, backupBaseUrl),
                new RequestAuthenticator(options.mchid(), merchantSerialNumber, merchantKeys.getPublic()),
                platform,
                apiV3Key,
                book,
                identity,
                faults,
                this::refundStarted,
                stopped);
        transport.route("/v3/", merchantApi.router());
        transport.route(
                "/sns/",
                new Router(handler -> handler)
                        .add(
                                "GET",
                                "/sns/jscode2session",
                                // api.weixin.qq.com answers 200 with a JSON body labelled text/plain, errors included
                                request -> SimResponse.of(
                                        200,
                                        "text/plain",
                                        identity.exchange(request.query())
                                                .toString()
                                                .getBytes(StandardCharsets.UTF_8))));
        transport.route("/sim/", new SimControlApi(this).router());
    }

    public static WeChatPaySimulator start(SimulatorOptions options) {
        return new WeChatPaySimulator(options);
    }

    /** The primary domain's address (api.mch.weixin.qq.com, and api.weixin.qq.com for jscode2session). */
    public String baseUrl() {
        return baseUrl;
    }

    /** The backup domain's address: the same WeChat Pay (one state), as the backup domain is for failover. */
    public String backupBaseUrl() {
        return backupBaseUrl;
    }

    /** The endpoint stops answering: connections to it are refused, as to an unreachable domain. */
    public void stopEndpoint(Endpoint endpoint) {
        transport.stop(endpoint);
    }

    /** The endpoint answers again, on the same port. */
    public void restartEndpoint(Endpoint endpoint) {
        transport.restart(endpoint);
    }

    /** The sub-merchants bound to this merchant as a service provider (see {@link SimulatorOptions}). */
    public List<SimSubMerchant> subMerchants() {
        return options.subMerchants();
    }

    /** The app secret of a mini-program the simulator knows (the merchant's appid or a sub_appid). */
    public String appSecret(String appid) {
        return identity.appSecret(appid);
    }

    /**
     * Signs answers and notifications with the public key, the platform certificate, or (default) as
     * each request asks: the certificate-to-public-key switch of a merchant, at run time.
     */
    public void signWith(SigningKey key) {
        platform.signWith(key);
    }

    public SimulatorOptions options() {
        return options;
    }

    public MerchantCredentials merchant() {
        return new MerchantCredentials(
                options.mchid(),
                options.appid(),
                merchantSerialNumber,
                SimCrypto.privateKeyPem(merchantKeys.getPrivate()),
                merchantKeys.getPublic(),
                apiV3Key,
                platform.publicKeyPem(),
                platform.publicKeyId(),
                appSecret);
    }

    /** Serial of the self-signed platform certificate served at /v3/certificates. */
    public String platformCertificateSerial() {
        return platform.certificateSerial();
    }

    // --- the simulated user ---------------------------------------------------------------------

    /** A one-time {@code wx.login()} code for this user in the merchant's mini-program, valid for five minutes. */
    public String loginCode(String userName) {
        return loginCode(userName, options.appid());
    }

    /** The same in the mini-program {@code appid} (the merchant's appid or a sub-merchant's sub_appid). */
    public String loginCode(String userName, String appid) {
        return identity.loginCode(userName, appid);
    }

    /**
     * The next {@code count} jscode2session calls answer {@code errcode} (one of
     * {@link io.wxpayfn.order.WeChatLoginRules}', e.g. SYSTEM_BUSY or FREQUENCY_LIMITED) whatever they ask.
     */
    public void failNextLogins(int count, int errcode) {
        identity.failNextExchanges(count, errcode);
    }

    public String openidOf(String userName) {
        return openidOf(userName, options.appid());
    }

    public String openidOf(String userName, String appid) {
        return identity.openidOf(userName, appid);
    }

    /**
     * The user pays the order behind {@code prepayId}: SUCCESS, then TRANSACTION.SUCCESS to its
     * notify_url. Throws IllegalStateException when the order is closed, paid or expired.
     */
    public PaymentResult pay(String prepayId) {
        SimTransaction order = book.transactionByPrepayId(prepayId)
                .orElseThrow(() -> new IllegalArgumentException("unknown prepay_id " + prepayId));
        return paid(book.pay(order.outTradeNo(), false));
    }

    /** Pays although time_expire has passed: the close-versus-pay race a reconciliation must repair. */
    public PaymentResult payIgnoringExpiry(String outTradeNo) {
        return paid(book.pay(outTradeNo, true));
    }

    private PaymentResult paid(SimTransaction order) {
        dispatcher.paymentSucceeded(order);
        return new PaymentResult(order.outTradeNo(), order.transactionId(), order.successTime());
    }

    /** Puts an order in a state no API call leads to here, e.g. USERPAYING or PAYERROR. */
    public SimTransaction setTradeState(String outTradeNo, TradeState state) {
        return book.setState(outTradeNo, state);
    }

    /** Moves a payment to another day, for bill tests. */
    public SimTransaction setSuccessTime(String outTradeNo, OffsetDateTime successTime) {
        return book.setSuccessTime(outTradeNo, successTime);
    }

    public SimRefund setRefundSuccessTime(String outRefundNo, OffsetDateTime successTime) {
        return book.setRefundSuccessTime(outRefundNo, successTime);
    }

    // --- refunds --------------------------------------------------------------------------------

    /** Ends a PROCESSING refund (see {@link FaultPlan#holdRefunds}) and notifies its notify_url. */
    public SimRefund completeRefund(String outRefundNo, RefundStatus status) {
        SimRefund done = book.completeRefund(outRefundNo, status)
                .orElseThrow(() -> new IllegalStateException("refund " + outRefundNo + " is not PROCESSING"));
        refundEnded(done);
        return done;
    }

    /**
     * A refund whose application {@link FaultPlan#refuseRefund} refused is booked after all, ended in
     * {@code status}, and notified: WeChat Pay reporting a payout for a refund it had refused.
     */
    public SimRefund settleRefusedRefund(String outRefundNo, RefundStatus status) {
        SimRefund booked = book.settleRefused(outRefundNo, status);
        refundEnded(booked);
        return booked;
    }

    /**
     * The merchant handles an ABNORMAL refund by hand (merchant platform, 交易中心, or 发起异常退款):
     * it ends SUCCESS or CLOSED and is notified. Applying again with the same out_refund_no does not
     * do this (see TransactionBook.applyRefund).
     */
    public SimRefund handleAbnormalRefund(String outRefundNo, RefundStatus status) {
        SimRefund done = book.handleAbnormal(outRefundNo, status)
                .orElseThrow(() -> new IllegalStateException("refund " + outRefundNo + " is not ABNORMAL"));
        refundEnded(done);
        return done;
    }

    private void refundEnded(SimRefund refund) {
        dispatcher.refundEnded(refund, book.transaction(refund.outTradeNo()).orElseThrow());
    }

    private void refundStarted(SimRefund refund) {
        if (faults.refundHeld(refund.outRefundNo())) {
            return;
        }
        refundTimer.schedule(
                () -> book.completeRefund(refund.outRefundNo(), RefundStatus.SUCCESS)
                        .ifPresent(this::refundEnded),
                options.refundDelay().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    // --- truth ----------------------------------------------------------------------------------

    /** WeChat Pay's business time now ({@link SimulatorOptions#clock()}), China Standard Time. */
    public OffsetDateTime now() {
        return book.now();
    }

    /** Every authenticated /v3 request so far as "METHOD path" (no query), in arrival order. */
    public List<String> requests() {
        return merchantApi.requests().stream().map(Object::toString).toList();
    }

    /** The same, of the requests that arrived at one endpoint (primary or backup domain). */
    public List<String> requests(Endpoint endpoint) {
        return merchantApi.requests().stream()
                .filter(r -> r.endpoint() == endpoint)
                .map(Object::toString)
                .toList();
    }

    public Optional<SimTransaction> transaction(String outTradeNo) {
        return book.transaction(outTradeNo);
    }

    public List<SimTransaction> transactions() {
        return book.transactions();
    }

    public Optional<SimRefund> refund(String outRefundNo) {
        return book.refund(outRefundNo);
    }

    public List<SimRefund> refunds() {
        return book.refunds();
    }

    // --- notifications and faults ---------------------------------------------------------------

    public FaultPlan faults() {
        return faults;
    }

    public List<Delivery> deliveries() {
        return dispatcher.deliveries();
    }

    /** Blocks until {@code count} deliveries match, or throws AssertionError with the log. */
    public List<Delivery> awaitDeliveries(Predicate<Delivery> filter, int count, Duration timeout) {
        return dispatcher.await(filter, count, timeout);
    }

    /** Blocks until a delivery of {@code eventType} about {@code key} was acknowledged (2xx). */
    public Delivery awaitAcknowledged(String key, String eventType, Duration timeout) {
        return awaitDeliveries(d -> d.concerns(key) && d.eventType().equals(eventType) && d.acknowledged(), 1, timeout)
                .get(0);
    }

    /**
     * Sends the last notification about an out_trade_no / out_refund_no (or the one with this
     * notification id) again, {@code count} times, optionally all at once.
     */
    public void redeliver(String notificationIdOrKey, int count, boolean concurrent) {
        dispatcher.redeliver(notificationIdOrKey, count, concurrent);
    }

    /**
     * The last notification about an out_trade_no / out_refund_no (or with this notification id),
     * genuine and freshly signed, for a caller that posts it itself (benchmarks); nothing is sent.
     * A dropped notification ({@link NotificationFault#drop()}) is stored too.
     */
    public SignedNotification signedNotification(String notificationIdOrKey) {
        return dispatcher.signedCopy(notificationIdOrKey);
    }

    /**
     * Blocks until no delivery about {@code key} is scheduled or running (held ones excepted), so a
     * test can show that nothing more will be sent without sleeping.
     */
    public void awaitNoDeliveriesInFlight(String key, Duration timeout) {
        dispatcher.awaitNoAttemptsInFlight(key, timeout);
    }

    /**
     * Sends notifications kept back by {@link NotificationFault#hold()} or {@link FaultPlan#holdRetries}
     * for this key.
     */
    public void releaseHeldNotifications(String key) {
        faults.stopHoldingRetries(key);
        dispatcher.releaseHeld(key);
    }

    @Override
    public void close() {
        stopped.countDown(); // ends simulated hangs
        transport.close();
        refundTimer.shutdownNow();
        dispatcher.close();
    }

    // --- command line ---------------------------------------------------------------------------

    /**
     * {@code [--port N] [--keys-dir DIR] [--env-file FILE] [--time-scale X] [--mode direct|partner]}:
     * starts the simulator, writes the PEM files and prints the functions' settings as KEY=value lines
     * (with {@code --mode partner}, a service provider's for the simulator's sub-merchants).
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --flag value, got " + args[i]);
            }
            flags.put(args[i].substring(2), args[i + 1]);
        }
        String envPort = System.getenv().getOrDefault("WECHATPAY_SIM_PORT", "8090");
        SimulatorOptions options = SimulatorOptions.defaults()
                .withPort(Integer.parseInt(flags.getOrDefault("port", envPort)))
                .withTimeScale(Double.parseDouble(flags.getOrDefault("time-scale", "1.0")));
        Path keysDir = Path.of(flags.getOrDefault(
                "keys-dir", System.getenv().getOrDefault("WECHATPAY_SIM_KEYS_DIR", "target/sim-keys")));

        WeChatPaySimulator simulator = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        String mode = flags.getOrDefault("mode", "direct");
        if (!mode.equals("direct") && !mode.equals("partner")) {
            throw new IllegalArgumentException("--mode must be direct or partner, got " + mode);
        }
        String settings = simulator.settings(keysDir, mode.equals("partner"));
        if (flags.containsKey("env-file")) {
            Files.writeString(Path.of(flags.get("env-file")), settings, StandardCharsets.UTF_8);
        }
        System.out.print(settings);
        System.out.println("# simulator ready; cashier: " + simulator.baseUrl() + "/sim/cashier?prepay_id=…");
        System.out.flush();
        simulator.stopped.await();
    }

    /** Writes the PEM files into {@code keysDir} and answers the settings as sourceable lines. */
    /**
     * The environment a function instance needs to use this simulator as WeChat Pay and WeChat, keys inline,
     * notifications to {@code functionsBaseUrl}/payment-callback and /refund-callback. The store, session secret
     * and operator key are the caller's to add.
     */
    public Map<String, String> functionEnvironment(String functionsBaseUrl) {
        MerchantCredentials m = merchant();
        Map<String, String> env = merchantEnvironment(
                "WECHATPAY_PRIVATE_KEY", m.merchantPrivateKeyPem(), "WECHATPAY_PUBLIC_KEY", m.platformPublicKeyPem());
        env.put("WECHATPAY_NOTIFY_URL", functionsBaseUrl + "/payment-callback");
        env.put("WECHATPAY_REFUND_NOTIFY_URL", functionsBaseUrl + "/refund-callback");
        return env;
    }

    /**
     * The same for a service provider taking payments for this simulator's sub-merchants (partner mode): the
     * merchant's settings are the provider's, plus the sub-merchants and the app secrets of their mini-programs.
     */
    public Map<String, String> partnerFunctionEnvironment(String functionsBaseUrl) {
        Map<String, String> env = functionEnvironment(functionsBaseUrl);
        env.putAll(partnerEnvironment());
        return env;
    }

    /** WECHATPAY_MODE, WECHATPAY_SUB_MERCHANTS (JSON) and WECHAT_APP_SECRETS (JSON) for partner mode. */
    private Map<String, String> partnerEnvironment() {
        com.fasterxml.jackson.databind.node.ArrayNode subMerchants = WireFormat.JSON.createArrayNode();
        com.fasterxml.jackson.databind.node.ObjectNode secrets = WireFormat.JSON.createObjectNode();
        for (SimSubMerchant sub : options.subMerchants()) {
            com.fasterxml.jackson.databind.node.ObjectNode entry =
                    subMerchants.addObject().put("subMchid", sub.subMchid());
            if (sub.subAppid() != null) {
                entry.put("subAppid", sub.subAppid());
                secrets.put(sub.subAppid(), identity.appSecret(sub.subAppid()));
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WECHATPAY_MODE", "partner");
        env.put("WECHATPAY_SUB_MERCHANTS", subMerchants.toString());
        env.put("WECHAT_APP_SECRETS", secrets.toString());
        return env;
    }

    /** The merchant's settings, with the two keys given inline (PEM) or as files (…_PATH). */
    private Map<String, String> merchantEnvironment(
            String privateKeyVariable, String privateKey, String publicKeyVariable, String publicKey) {
        MerchantCredentials m = merchant();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WECHATPAY_BASE_URL", baseUrl());
        env.put("WECHAT_API_BASE_URL", baseUrl());
        env.put("WECHATPAY_APPID", m.appid());
        env.put("WECHATPAY_MCHID", m.mchid());
        env.put("WECHATPAY_MERCHANT_SERIAL_NUMBER", m.merchantSerialNumber());
        env.put(privateKeyVariable, privateKey);
        env.put("WECHATPAY_API_V3_KEY", m.apiV3Key());
        env.put(publicKeyVariable, publicKey);
        env.put("WECHATPAY_PUBLIC_KEY_ID", m.platformPublicKeyId());
        env.put("WECHAT_APP_SECRET", m.appSecret());
        return env;
    }

    private String settings(Path keysDir, boolean partner) throws IOException {
        Files.createDirectories(keysDir);
        MerchantCredentials m = merchant();
        Path privateKey = keysDir.resolve("apiclient_key.pem");
        Path publicKey = keysDir.resolve("pub_key.pem");
        Files.writeString(privateKey, m.merchantPrivateKeyPem(), StandardCharsets.US_ASCII);
        Files.writeString(publicKey, m.platformPublicKeyPem(), StandardCharsets.US_ASCII);
        Files.writeString(keysDir.resolve("platform_cert.pem"), platform.certificatePem(), StandardCharsets.US_ASCII);
        Map<String, String> env = merchantEnvironment(
                "WECHATPAY_PRIVATE_KEY_PATH", privateKey.toAbsolutePath().toString(),
                "WECHATPAY_PUBLIC_KEY_PATH", publicKey.toAbsolutePath().toString());
        if (partner) {
            env.putAll(partnerEnvironment());
        }
        StringBuilder lines = new StringBuilder();
        // JSON values are single-quoted, so that a shell sourcing the file keeps their double quotes
        env.forEach((key, value) -> lines.append(key)
                .append('=')
                .append(value.matches("[A-Za-z0-9_./:@+=-]*") ? value : "'" + value + "'")
                .append('\n'));
        return lines.toString();
    }
}
