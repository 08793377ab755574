package io.wxpayfn.wechat;

/** The settings most tests use: one key mode, default timeouts, no failover. */
public final class TestSettings {

    private TestSettings() {}

    /** Public-key mode when {@code platformPublicKeyPem} and its id are given, else platform certificates. */
    public static WeChatPaySettings oneKeyMode(
            String mchid,
            String merchantSerialNumber,
            String merchantPrivateKeyPem,
            String apiV3Key,
            String platformPublicKeyPem,
            String platformPublicKeyId,
            String notifyUrl,
            String refundNotifyUrl,
            String baseUrl) {
        return new WeChatPaySettings(
                mchid,
                merchantSerialNumber,
                merchantPrivateKeyPem,
                apiV3Key,
                platformPublicKeyPem,
                platformPublicKeyId,
                false,
                notifyUrl,
                refundNotifyUrl,
                baseUrl,
                null,
                null,
                null);
    }
}
