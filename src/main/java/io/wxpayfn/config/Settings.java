package io.wxpayfn.config;

import java.net.URI;
import java.nio.file.Path;
import io.wxpayfn.order.SubMerchant;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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
        List<SubMerchant> subMerchants,
        Map<String, String> subAppSecrets,
        MerchantMode.Verification verification,
        URI wechatPayBackupBaseUrl) {

    /** Public-key mode when WeChat Pay's public key is configured, platform-certificate mode otherwise. */
    public boolean publicKeyMode() {
        return platformPublicKeyPem != null;
    }

    /** Partner mode: appid and mchid are a service provider's, taking payments for {@link #subMerchants}. */
    public boolean partnerMode() {
        return !subMerchants.isEmpty();
    }

    @Override
    public String toString() {
        return "Settings[appid=" + appid + ", mchid=" + mchid + ", merchantSerialNumber=" + merchantSerialNumber
                + ", merchantMode=" + (partnerMode() ? "partner for " + subMerchants : "direct")
                + ", verification=" + verification + (publicKeyMode() ? " " + platformPublicKeyId : "")
                + ", notifyUrl=" + notifyUrl + ", refundNotifyUrl=" + refundNotifyUrl
                + ", wechatPayBaseUrl=" + wechatPayBaseUrl + ", wechatPayBackupBaseUrl="
                + (wechatPayBackupBaseUrl == null ? "off" : wechatPayBackupBaseUrl)
                + ", wechatApiBaseUrl=" + wechatApiBaseUrl + ", subAppSecrets=" + subAppSecrets.keySet()
                + ", orderStore=" + orderStoreUri.replaceAll("//[^@/]*@", "//***@") + ", sessionTtl=" + sessionTtl
                + ", operatorApi=" + (operatorApiKey != null) + ", catalogue=" + cataloguePath
                + ", orderTtl=" + orderTtl + ", ownerRefundWindow=" + ownerRefundWindow + "]";
    }
}
