package io.wxpayfn.wechat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Everything the gateway needs to talk to WeChat Pay as one merchant (in partner mode: as the service provider,
 * {@code mchid} being its sp_mchid; the appid each call names is the order's). {@code platformPublicKeyPem} and
 * {@code platformPublicKeyId} select public-key mode when given; without them the platform certificates are
 * downloaded; with them and {@code platformCertificatesToo}, both are trusted (the switch from certificates to the
 * public key, when WeChat Pay signs with either). {@code baseUrl} is scheme, host and optional port only (e.g.
 * {@code https://api.mch.weixin.qq.com} or a local simulator): the signed path must reach the server unchanged.
 * {@code backupBaseUrl}, when given, turns on the SDK's failover to WeChat Pay's backup domain (双域名容灾) and is
 * where its retries go (null: off).
 */
public record WeChatPaySettings(
        String mchid,
        String merchantSerialNumber,
        String merchantPrivateKeyPem,
        String apiV3Key,
        String platformPublicKeyPem,
        String platformPublicKeyId,
        boolean platformCertificatesToo,
        String notifyUrl,
        String refundNotifyUrl,
        String baseUrl,
        String backupBaseUrl,
        Duration connectTimeout,
        Duration readTimeout) {

    public static final String WECHATPAY_BASE_URL = "https://api.mch.weixin.qq.com";
    /**
     * Where wechatpay-java 0.2.17's failover interceptor (OkHttpMultiDomainInterceptor) resends a request that
     * failed on the primary domain: it is fixed in the SDK (Constant.SECONDARY_API_DOMAIN).
     */
    public static final String SDK_BACKUP_BASE_URL = "https://api2.wechatpay.cn";
    /** Connect plus read stays under the 5 s WeChat Pay gives a notification callback. */
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(4);

    public WeChatPaySettings {
        requireText(mchid, "mchid");
        requireText(merchantSerialNumber, "merchantSerialNumber");
        requireText(merchantPrivateKeyPem, "merchantPrivateKeyPem");
        requireText(apiV3Key, "apiV3Key");
        if (apiV3Key.getBytes(StandardCharsets.UTF_8).length != 32) {
            throw new IllegalArgumentException("apiV3Key must be 32 bytes long");
        }
        if ((platformPublicKeyPem == null) != (platformPublicKeyId == null)) {
            throw new IllegalArgumentException("platformPublicKeyPem and platformPublicKeyId must be given together");
        }
        if (platformCertificatesToo && platformPublicKeyPem == null) {
            throw new IllegalArgumentException("platformCertificatesToo needs the public key it is trusted beside");
        }
        requireText(notifyUrl, "notifyUrl");
        requireText(refundNotifyUrl, "refundNotifyUrl");
        baseUrl = baseUrl == null || baseUrl.isBlank() ? WECHATPAY_BASE_URL : stripTrailingSlash(baseUrl.trim());
        requireOrigin(baseUrl);
        if (backupBaseUrl != null) {
            backupBaseUrl = stripTrailingSlash(backupBaseUrl.trim());
            requireOrigin(backupBaseUrl);
        }
        connectTimeout = positiveOr(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connectTimeout");
        readTimeout = positiveOr(readTimeout, DEFAULT_READ_TIMEOUT, "readTimeout");
    }

    /** True when responses and notifications may be signed with the WeChat Pay public key. */
    public boolean usesPlatformPublicKey() {
        return platformPublicKeyPem != null;
    }

    /** True when both the public key and the downloaded platform certificates verify (the switch between them). */
    public boolean trustsBothKeys() {
        return platformCertificatesToo;
    }

    /** True when a request that fails on the primary domain is sent again to the backup domain. */
    public boolean failsOver() {
        return backupBaseUrl != null;
    }

    /** True when requests go somewhere other than WeChat Pay's own hosts (a simulator or a proxy). */
    public boolean rewritesHost() {
        return !WECHATPAY_BASE_URL.equals(baseUrl) || (failsOver() && !SDK_BACKUP_BASE_URL.equals(backupBaseUrl));
    }

    /** Never shows the merchant private key or the APIv3 key. */
    @Override
    public String toString() {
        return "WeChatPaySettings[mchid=" + mchid + ", merchantSerialNumber="
                + merchantSerialNumber
                + ", merchantPrivateKeyPem=<redacted>, apiV3Key=<redacted>, mode="
                + (usesPlatformPublicKey() ? "public key " + platformPublicKeyId : "platform certificates")
                + (trustsBothKeys() ? " and platform certificates" : "")
                + ", notifyUrl=" + notifyUrl + ", refundNotifyUrl=" + refundNotifyUrl + ", baseUrl=" + baseUrl
                + ", backupBaseUrl=" + (failsOver() ? backupBaseUrl : "off")
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static void requireOrigin(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl is not a URL: " + url);
        }
        boolean httpScheme = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        boolean originOnly = (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                && uri.getRawQuery() == null
                && uri.getRawUserInfo() == null;
        if (!httpScheme || uri.getHost() == null || !originOnly) {
            throw new IllegalArgumentException("baseUrl must be scheme://host[:port] with no path, got " + url);
        }
    }

    private static Duration positiveOr(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }
}
