package io.wxpayfn.wechat;

import com.wechat.pay.java.core.AbstractRSAConfig;
import com.wechat.pay.java.core.RSAAutoCertificateConfig;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.auth.WechatPay2Validator;
import com.wechat.pay.java.core.certificate.RSAAutoCertificateProvider;
import com.wechat.pay.java.core.cipher.RSAVerifier;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.http.okhttp.OkHttpMultiDomainInterceptor;
import com.wechat.pay.java.core.notification.NotificationConfig;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RSACombinedNotificationConfig;
import com.wechat.pay.java.core.notification.RSAPublicKeyNotificationConfig;
import com.wechat.pay.java.core.util.PemUtil;
import com.wechat.pay.java.service.billdownload.BillDownloadServiceExtension;
import com.wechat.pay.java.service.payments.jsapi.JsapiServiceExtension;
import com.wechat.pay.java.service.refund.RefundService;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The wechatpay-java objects of one merchant (or service provider), built once: the signing/verifying config, one
 * HTTP client with short timeouts (the SDK's backup-domain failover when configured, and the host rewrite when a
 * base URL is not WeChat Pay's), the direct and partner services and the notification parser. Thread-safe; meant
 * to live as long as the application.
 */
public final class WeChatPayClients {

    /**
     * The SDK keeps downloaded platform certificates per merchant id in a JVM-wide registry
     * (AutoCertificateService), so certificate-verifying configs are kept one per merchant id, key serial and
     * public key id: a second settings object for the same merchant reuses the first.
     */
    private static final ConcurrentMap<String, Trust> CERTIFICATE_TRUSTS = new ConcurrentHashMap<>();

    private final WeChatPaySettings settings;
    private final JsapiServiceExtension jsapi;
    private final com.wechat.pay.java.service.partnerpayments.jsapi.JsapiServiceExtension partnerJsapi;
    private final RefundService refunds;
    private final BillDownloadServiceExtension bills;
    private final NotificationParser notificationParser;

    /**
     * The config that signs requests (and, unless the notification config's verifier does, verifies answers) and
     * the config notifications are verified with.
     */
    private record Trust(AbstractRSAConfig config, NotificationConfig notifications) {

        /** The SDK's client for answers: the config's validator, or the combined verifier when both keys count. */
        HttpClient httpClient(OkHttpClient okHttp) {
            DefaultHttpClientBuilder builder =
                    new DefaultHttpClientBuilder().config(config).okHttpClient(okHttp);
            if (notifications instanceof RSACombinedNotificationConfig combined) {
                builder.validator(new WechatPay2Validator(combined.createVerifier()));
            }
            return builder.build();
        }
    }

    private WeChatPayClients(WeChatPaySettings settings, Trust trust, OkHttpClient okHttp) {
        this.settings = settings;
        AbstractRSAConfig config = trust.config();
        HttpClient httpClient = trust.httpClient(okHttp);
        // Each builder's config(...) makes a default client (and the request-payment signer); httpClient(...) after
        // it replaces that client with ours.
        this.jsapi = new JsapiServiceExtension.Builder()
                .config(config)
                .httpClient(httpClient)
                .build();
        this.partnerJsapi = new com.wechat.pay.java.service.partnerpayments.jsapi.JsapiServiceExtension.Builder()
                .config(config)
                .httpClient(httpClient)
                .build();
        this.refunds = new RefundService.Builder()
                .config(config)
                .httpClient(httpClient)
                .build();
        this.bills = new BillDownloadServiceExtension.Builder()
                .config(config)
                .httpClient(httpClient)
                .build();
        this.notificationParser = new NotificationParser(trust.notifications());
    }

    /**
     * Builds the clients. Public-key mode touches no network; platform-certificate mode, and trusting both (the
     * switch to the public key), download the certificates now.
     *
     * @throws IllegalArgumentException when a key is not a readable PEM
     * @throws io.wxpayfn.order.WeChatPayUnavailableException when the certificate download fails
     * @throws io.wxpayfn.order.WeChatPayRejectedException when WeChat Pay refuses the certificate download
     */
    public static WeChatPayClients create(WeChatPaySettings settings) {
        OkHttpClient okHttp = okHttpClient(settings);
        PrivateKey merchantKey = merchantPrivateKey(settings);
        if (!settings.usesPlatformPublicKey()) {
            return new WeChatPayClients(
                    settings,
                    CERTIFICATE_TRUSTS.computeIfAbsent(
                            cacheKey(settings), key -> certificatesOnly(settings, merchantKey, okHttp)),
                    okHttp);
        }
        RSAPublicKeyConfig publicKeyConfig = new RSAPublicKeyConfig.Builder()
                .merchantId(settings.mchid())
                .privateKey(merchantKey)
                .merchantSerialNumber(settings.merchantSerialNumber())
                .publicKey(platformPublicKey(settings))
                .publicKeyId(settings.platformPublicKeyId())
                .apiV3Key(settings.apiV3Key())
                .build();
        if (!settings.trustsBothKeys()) {
            return new WeChatPayClients(settings, new Trust(publicKeyConfig, publicKeyConfig), okHttp);
        }
        return new WeChatPayClients(
                settings,
                CERTIFICATE_TRUSTS.computeIfAbsent(
                        cacheKey(settings), key -> bothKeys(settings, merchantKey, publicKeyConfig, okHttp)),
                okHttp);
    }

    private static Trust certificatesOnly(WeChatPaySettings settings, PrivateKey merchantKey, OkHttpClient okHttp) {
        RSAAutoCertificateConfig config = WeChatPayErrors.call(
                "download of the platform certificates",
                () -> new RSAAutoCertificateConfig.Builder()
                        .merchantId(settings.mchid())
                        .privateKey(merchantKey)
                        .merchantSerialNumber(settings.merchantSerialNumber())
                        .apiV3Key(settings.apiV3Key())
                        .httpClientBuilder(new DefaultHttpClientBuilder().okHttpClient(okHttp))
                        .build());
        return new Trust(config, config);
    }

    /**
     * The switch from platform certificates to the public key: WeChat Pay signs answers and notifications with
     * either, and Wechatpay-Serial says which (a {@code PUB_KEY_ID_…} serial is the public key). Notifications go
     * through the SDK's RSACombinedNotificationConfig; answers through a WechatPay2Validator over that config's own
     * combined verifier (RSAVerifier of the public key and the certificates), so both are checked by the SDK alone
     * and a serial that is neither is refused.
     *
     * <p>The combined config downloads the certificates through the HTTP client it is given, and in 0.2.17 its
     * builder takes only a finished client, whose validator then checks the download's answer. So the certificates
     * are first downloaded the way the SDK's own platform-certificate mode does it (RSAAutoCertificateProvider with
     * our OkHttp client: its answer is authenticated by decrypting it with the APIv3 key), and the combined config
     * is given a client that verifies its download with the public key or those certificates, whichever signed it.
     * Both downloads fill the SDK's one registry of this merchant's certificates, refreshed hourly by the second.
     */
    private static Trust bothKeys(
            WeChatPaySettings settings,
            PrivateKey merchantKey,
            RSAPublicKeyConfig publicKeyConfig,
            OkHttpClient okHttp) {
        return WeChatPayErrors.call("download of the platform certificates", () -> {
            RSAAutoCertificateProvider certificates = new RSAAutoCertificateProvider.Builder()
                    .merchantId(settings.mchid())
                    .privateKey(merchantKey)
                    .merchantSerialNumber(settings.merchantSerialNumber())
                    .apiV3Key(settings.apiV3Key().getBytes(StandardCharsets.UTF_8))
                    .httpClientBuilder(new DefaultHttpClientBuilder().okHttpClient(okHttp))
                    .build();
            HttpClient downloadClient = new DefaultHttpClientBuilder()
                    .credential(publicKeyConfig.createCredential())
                    .validator(new WechatPay2Validator(
                            new RSAVerifier(platformPublicKey(settings), settings.platformPublicKeyId(), certificates)))
                    .okHttpClient(okHttp)
                    .build();
            RSACombinedNotificationConfig notifications = new RSACombinedNotificationConfig.Builder()
                    .merchantId(settings.mchid())
                    .privateKey(merchantKey)
                    .merchantSerialNumber(settings.merchantSerialNumber())
                    .apiV3Key(settings.apiV3Key())
                    .publicKey(platformPublicKey(settings))
                    .publicKeyId(settings.platformPublicKeyId())
                    .httpClient(downloadClient)
                    .build();
            return new Trust(publicKeyConfig, notifications);
        });
    }

    /** Only a notification parser: what a callback needs in public-key mode, without the merchant private key. */
    private WeChatPayClients(NotificationConfig notificationConfig) {
        this.settings = null;
        this.jsapi = null;
        this.partnerJsapi = null;
        this.refunds = null;
        this.bills = null;
        this.notificationParser = new NotificationParser(notificationConfig);
    }

    /**
     * Clients that can only verify and decrypt notifications (public-key mode): built from the APIv3 key and
     * WeChat Pay's public key, so a callback deployment never holds the merchant private key.
     *
     * @throws IllegalArgumentException when the public key is not a readable PEM
     */
    public static WeChatPayClients forNotifications(
            String apiV3Key, String platformPublicKeyPem, String platformPublicKeyId) {
        PublicKey key;
        try {
            key = PemUtil.loadPublicKeyFromString(platformPublicKeyPem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("platformPublicKeyPem is not an X.509 RSA public key in PEM");
        }
        return new WeChatPayClients(new RSAPublicKeyNotificationConfig.Builder()
                .publicKey(key)
                .publicKeyId(platformPublicKeyId)
                .apiV3Key(apiV3Key)
                .build());
    }

    public WeChatPaySettings settings() {
        return require(settings);
    }

    JsapiServiceExtension jsapi() {
        return require(jsapi);
    }

    com.wechat.pay.java.service.partnerpayments.jsapi.JsapiServiceExtension partnerJsapi() {
        return require(partnerJsapi);
    }

    RefundService refunds() {
        return require(refunds);
    }

    BillDownloadServiceExtension bills() {
        return require(bills);
    }

    private static <T> T require(T client) {
        if (client == null) {
            throw new IllegalStateException("these clients were built for notifications only");
        }
        return client;
    }

    NotificationParser notificationParser() {
        return notificationParser;
    }

    private static String cacheKey(WeChatPaySettings settings) {
        return settings.mchid() + "/" + settings.merchantSerialNumber() + "/" + settings.platformPublicKeyId();
    }

    /**
     * Short timeouts (a callback has 5 s), and with failover the SDK's own OkHttpMultiDomainInterceptor, which
     * resends a request whose primary attempt failed to connect or timed out (an IOException) to the backup domain,
     * unchanged: same body, same out_trade_no / out_refund_no, same signature. It is added here rather than by
     * DefaultHttpClientBuilder.enableRetryMultiDomain(), which appends it after this client's interceptors: it must
     * run before the host rewrite, which it would otherwise never see WeChat Pay's host through. With failover the
     * whole-call bound covers both attempts.
     */
    private static OkHttpClient okHttpClient(WeChatPaySettings settings) {
        long connectMs = settings.connectTimeout().toMillis();
        long readMs = settings.readTimeout().toMillis();
        int attempts = settings.failsOver() ? 2 : 1;
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(connectMs, TimeUnit.MILLISECONDS)
                .readTimeout(readMs, TimeUnit.MILLISECONDS)
                .writeTimeout(readMs, TimeUnit.MILLISECONDS)
                // Bounds the whole call, so a slowly trickling answer cannot outlive a 5 s callback either.
                .callTimeout(attempts * (connectMs + readMs), TimeUnit.MILLISECONDS);
        if (settings.failsOver()) {
            builder.addInterceptor(new OkHttpMultiDomainInterceptor());
        }
        if (settings.rewritesHost()) {
            Map<String, String> origins = new LinkedHashMap<>();
            origins.put(HttpUrl.get(WeChatPaySettings.WECHATPAY_BASE_URL).host(), settings.baseUrl());
            if (settings.failsOver()) {
                origins.put(HttpUrl.get(WeChatPaySettings.SDK_BACKUP_BASE_URL).host(), settings.backupBaseUrl());
            }
            builder.addInterceptor(new BaseUrlRewrite(origins));
        }
        return builder.build();
    }

    private static PrivateKey merchantPrivateKey(WeChatPaySettings settings) {
        try {
            return PemUtil.loadPrivateKeyFromString(settings.merchantPrivateKeyPem());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("merchantPrivateKeyPem is not a PKCS#8 RSA private key in PEM");
        }
    }

    private static PublicKey platformPublicKey(WeChatPaySettings settings) {
        try {
            return PemUtil.loadPublicKeyFromString(settings.platformPublicKeyPem());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("platformPublicKeyPem is not an X.509 RSA public key in PEM");
        }
    }
}
