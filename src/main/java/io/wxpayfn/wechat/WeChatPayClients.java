package io.wxpayfn.wechat;

import com.wechat.pay.java.core.AbstractRSAConfig;
import com.wechat.pay.java.core.RSAAutoCertificateConfig;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.notification.NotificationConfig;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RSAPublicKeyNotificationConfig;
import com.wechat.pay.java.core.util.PemUtil;
import com.wechat.pay.java.service.billdownload.BillDownloadServiceExtension;
import com.wechat.pay.java.service.payments.jsapi.JsapiServiceExtension;
import com.wechat.pay.java.service.refund.RefundService;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * The wechatpay-java objects of one merchant, built once: the signing/verifying config, one HTTP client with
 * short timeouts (and the host rewrite when {@code baseUrl} is not WeChat Pay), the services and the
 * notification parser. Thread-safe; meant to live as long as the application.
 */
public final class WeChatPayClients {

    /**
     * The SDK registers a certificate downloader per merchant id in a JVM-wide singleton, so platform-certificate
     * configs are kept one per merchant id: a second settings object for the same merchant reuses the first.
     */
    private static final ConcurrentMap<String, RSAAutoCertificateConfig> CERTIFICATE_CONFIGS = new ConcurrentHashMap<>();

    private final WeChatPaySettings settings;
    private final JsapiServiceExtension jsapi;
    private final RefundService refunds;
    private final BillDownloadServiceExtension bills;
    private final NotificationParser notificationParser;

    private WeChatPayClients(WeChatPaySettings settings, AbstractRSAConfig config, NotificationConfig notificationConfig,
                             HttpClient httpClient) {
        this.settings = settings;
        // Each builder's config(...) makes a default client; httpClient(...) after it replaces that one.
        this.jsapi = new JsapiServiceExtension.Builder().config(config).httpClient(httpClient).build();
        this.refunds = new RefundService.Builder().config(config).httpClient(httpClient).build();
        this.bills = new BillDownloadServiceExtension.Builder().config(config).httpClient(httpClient).build();
        this.notificationParser = new NotificationParser(notificationConfig);
    }

    /**
     * Builds the clients. Public-key mode touches no network; platform-certificate mode downloads the
     * certificates now.
     *
     * @throws IllegalArgumentException when a key is not a readable PEM
     * @throws io.wxpayfn.order.WeChatPayUnavailableException when the certificate download fails
     * @throws io.wxpayfn.order.WeChatPayRejectedException when WeChat Pay refuses the certificate download
     */
    public static WeChatPayClients create(WeChatPaySettings settings) {
        OkHttpClient okHttp = okHttpClient(settings);
        PrivateKey merchantKey = merchantPrivateKey(settings);
        if (settings.usesPlatformPublicKey()) {
            RSAPublicKeyConfig config = new RSAPublicKeyConfig.Builder()
                    .merchantId(settings.mchid())
                    .privateKey(merchantKey)
                    .merchantSerialNumber(settings.merchantSerialNumber())
                    .publicKey(platformPublicKey(settings))
                    .publicKeyId(settings.platformPublicKeyId())
                    .apiV3Key(settings.apiV3Key())
                    .build();
            return new WeChatPayClients(settings, config, config, sdkHttpClient(config, okHttp));
        }
        RSAAutoCertificateConfig config = CERTIFICATE_CONFIGS.computeIfAbsent(settings.mchid(),
                mchid -> WeChatPayErrors.call("download of the platform certificates",
                        () -> new RSAAutoCertificateConfig.Builder()
                                .merchantId(mchid)
                                .privateKey(merchantKey)
                                .merchantSerialNumber(settings.merchantSerialNumber())
                                .apiV3Key(settings.apiV3Key())
                                .httpClientBuilder(new DefaultHttpClientBuilder().okHttpClient(okHttp))
                                .build()));
        return new WeChatPayClients(settings, config, config, sdkHttpClient(config, okHttp));
    }

    /** Only a notification parser: what a callback needs in public-key mode, without the merchant private key. */
    private WeChatPayClients(NotificationConfig notificationConfig) {
        this.settings = null;
        this.jsapi = null;
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
    public static WeChatPayClients forNotifications(String apiV3Key, String platformPublicKeyPem,
                                                    String platformPublicKeyId) {
        PublicKey key;
        try {
            key = PemUtil.loadPublicKeyFromString(platformPublicKeyPem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("platformPublicKeyPem is not an X.509 RSA public key in PEM");
        }
        return new WeChatPayClients(new RSAPublicKeyNotificationConfig.Builder()
                .publicKey(key).publicKeyId(platformPublicKeyId).apiV3Key(apiV3Key).build());
    }

    public WeChatPaySettings settings() {
        return require(settings);
    }

    JsapiServiceExtension jsapi() {
        return require(jsapi);
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

    private static HttpClient sdkHttpClient(AbstractRSAConfig config, OkHttpClient okHttp) {
        return new DefaultHttpClientBuilder().config(config).okHttpClient(okHttp).build();
    }

    private static OkHttpClient okHttpClient(WeChatPaySettings settings) {
        long connectMs = settings.connectTimeout().toMillis();
        long readMs = settings.readTimeout().toMillis();
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(connectMs, TimeUnit.MILLISECONDS)
                .readTimeout(readMs, TimeUnit.MILLISECONDS)
                .writeTimeout(readMs, TimeUnit.MILLISECONDS)
                // Bounds the whole call, so a slowly trickling answer cannot outlive a 5 s callback either.
                .callTimeout(connectMs + readMs, TimeUnit.MILLISECONDS);
        if (settings.rewritesHost()) {
            builder.addInterceptor(new BaseUrlRewrite(settings.baseUrl()));
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
