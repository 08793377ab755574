package io.wxpayfn.simulator;

/**
 * Which of its two public identities WeChat Pay signs answers and notifications with. During a
 * merchant's switch from platform certificates to the WeChat Pay public key (平台证书切换为微信支付公钥,
 * pay.weixin.qq.com/doc/v3/merchant/4012154180) both are in use and Wechatpay-Serial says which one
 * signed; {@link WeChatPaySimulator#signWith} switches at run time to reproduce that.
 */
public enum SigningKey {
    /**
     * The default: an answer is signed with the identity the request's Wechatpay-Serial names (the
     * certificate download always with the certificate), notifications with the public key.
     */
    AS_REQUESTED,
    /** Everything with the WeChat Pay public key ({@code PUB_KEY_ID_…}). */
    PUBLIC_KEY,
    /** Everything with the platform certificate (its serial number). */
    PLATFORM_CERTIFICATE
}
