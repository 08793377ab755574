package io.wxpayfn.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Every value the functions read from the environment, validated once at start-up. {@link #toString()} is
 * overridden so that no secret can reach a log by accident.
 */
public record Settings(
        String appid,
        String mchid,
        String merchantSerialNumber,
        String merchantPrivateKeyPem,
        String apiV3Key,
        String platformPublicKeyPem,
        String platformPublicKeyId,
        URI notifyUrl,
        URI refundNotifyUrl,
        URI wechatPayBaseUrl,
        String appSecret,
        URI wechatApiBaseUrl,
        String orderStoreUri,
        String sessionSecret,
        Duration sessionTtl,
        String operatorApiKey,
        Path cataloguePath,
        Duration orderTtl,
        Duration ownerRefundWindow,
        URI merchantEventsUrl,
        String merchantEventsSecret,
        Duration merchantEventsTimeout) {

    /** Public-key mode when WeChat Pay's public key is configured, platform-certificate mode otherwise. */
    public boolean publicKeyMode() {
        return platformPublicKeyPem != null;
    }

    @Override
    public String toString() {
        return "Settings[appid=" + appid + ", mchid=" + mchid + ", merchantSerialNumber=" + merchantSerialNumber
                + ", mode=" + (publicKeyMode() ? "public-key " + platformPublicKeyId : "platform-certificate")
                + ", notifyUrl=" + notifyUrl + ", refundNotifyUrl=" + refundNotifyUrl
                + ", wechatPayBaseUrl=" + wechatPayBaseUrl + ", wechatApiBaseUrl=" + wechatApiBaseUrl
                + ", orderStore=" + orderStoreUri.replaceAll("//[^@/]*@", "//***@") + ", sessionTtl=" + sessionTtl
                + ", operatorApi=" + (operatorApiKey != null) + ", catalogue=" + cataloguePath
                + ", orderTtl=" + orderTtl + ", ownerRefundWindow=" + ownerRefundWindow
                + ", merchantEvents=" + (merchantEventsUrl == null ? "off" : merchantEventsUrl.getHost()) + "]";
    }
}
