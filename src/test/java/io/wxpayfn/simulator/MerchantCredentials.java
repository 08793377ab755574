package io.wxpayfn.simulator;

import java.security.PublicKey;

/**
 * Everything a merchant's configuration needs to talk to one simulator instance. Generated at every
 * start, so nothing here is a real secret.
 */
public record MerchantCredentials(
        String mchid,
        String appid,
        String merchantSerialNumber,
        String merchantPrivateKeyPem,
        PublicKey merchantPublicKey,
        String apiV3Key,
        String platformPublicKeyPem,
        String platformPublicKeyId,
        String appSecret) {}
