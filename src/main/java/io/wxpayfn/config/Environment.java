package io.wxpayfn.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The environment variables, one {@link ConfigMapping} per concern, read once by Quarkus. Every value is optional
 * here: which concerns a deployment needs depends on its function ({@code functions/functions.json}), so
 * {@link Configuration} checks them at start and turns them into typed, validated settings.
 */
public final class Environment {

    private Environment() {}

    /** WECHATPAY_*: the merchant at WeChat Pay. */
    @ConfigMapping(prefix = "wechatpay")
    public interface WeChatPay {
        Optional<String> appid();

        Optional<String> mchid();

        Optional<String> merchantSerialNumber();

        Optional<String> privateKey();

        Optional<String> privateKeyPath();

        Optional<String> apiV3Key();

        Optional<String> publicKey();

        Optional<String> publicKeyPath();

        Optional<String> publicKeyId();

        Optional<String> notifyUrl();

        Optional<String> refundNotifyUrl();

        Optional<String> baseUrl();

        /** WECHATPAY_BACKUP_BASE_URL: where the SDK's failover sends a call the primary domain did not answer. */
        Optional<String> backupBaseUrl();

        /** WECHATPAY_VERIFY_WITH: public-key, platform-certificates or both (see {@link MerchantMode}). */
        Optional<String> verifyWith();

        /** WECHATPAY_MODE: direct or partner. */
        Optional<String> mode();

        /** WECHATPAY_SUB_MERCHANTS: partner mode's sub-merchants, JSON. */
        Optional<String> subMerchants();
    }

    /** WECHAT_*: the mini-program's login service (jscode2session). */
    @ConfigMapping(prefix = "wechat")
    public interface MiniProgram {
        Optional<String> appSecret();

        /** WECHAT_APP_SECRETS: partner mode, the app secret of each sub-merchant's own mini-program, JSON. */
        Optional<String> appSecrets();

        Optional<String> apiBaseUrl();
    }

    /** SESSION_*: the signed session tokens. */
    @ConfigMapping(prefix = "session")
    public interface Session {
        Optional<String> secret();

        Optional<String> ttlMinutes();
    }

    /** ORDER_*: where orders are kept and how long one stays payable. */
    @ConfigMapping(prefix = "order")
    public interface Orders {
        Optional<String> storeUri();

        Optional<String> ttlMinutes();
    }

    /** OWNER_*: the owner's own refunds. */
    @ConfigMapping(prefix = "owner")
    public interface Owner {
        Optional<String> refundWindowDays();
    }

    /** CATALOGUE_PATH. */
    @ConfigMapping(prefix = "catalogue")
    public interface Catalogue {
        Optional<String> path();
    }

    /** OPERATOR_API_KEY: refunds of any amount and the operator's reads. */
    @ConfigMapping(prefix = "operator")
    public interface Operator {
        Optional<String> apiKey();
    }

    /** RECONCILE_API_KEY: what a scheduler holds to run reconcile and downloadBill, and nothing else. */
    @ConfigMapping(prefix = "reconcile")
    public interface Reconcile {
        Optional<String> apiKey();
    }

    /** MERCHANT_EVENTS_*: the shop's own service that order events are pushed to. */
    @ConfigMapping(prefix = "merchant-events")
    public interface MerchantEvents {
        Optional<String> url();

        Optional<String> secret();

        Optional<String> timeoutSeconds();
    }
}
