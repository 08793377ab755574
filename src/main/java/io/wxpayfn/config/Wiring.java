package io.wxpayfn.config;

import io.quarkus.runtime.StartupEvent;
import io.wxpayfn.function.OrderCursors;
import io.wxpayfn.identity.Code2SessionClient;
import io.wxpayfn.identity.LoginService;
import io.wxpayfn.identity.OperatorKey;
import io.wxpayfn.identity.SessionTokens;
import io.wxpayfn.order.OrderPolicy;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.PaymentGateway;
import io.wxpayfn.order.Product;
import io.wxpayfn.order.SubMerchant;
import io.wxpayfn.reconcile.BillSource;
import io.wxpayfn.reconcile.Reconciler;
import io.wxpayfn.store.OrderStores;
import io.wxpayfn.wechat.BillDownloader;
import io.wxpayfn.wechat.NotificationVerifier;
import io.wxpayfn.wechat.WeChatPayClients;
import io.wxpayfn.wechat.WeChatPayGateway;
import io.wxpayfn.wechat.WeChatPaySettings;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the plain-Java services from the environment, once per instance; nothing else reads configuration. */
@Singleton
public class Wiring {

    private static final Logger LOG = Logger.getLogger(Wiring.class);
    /** The catalogue file's products, read and checked at start, written to the store when it is opened. */
    private volatile List<Product> catalogue = List.of();

    /** Variables are looked up by their environment names, so tests can supply them as config properties. */
    @Produces
    @Singleton
    Settings settings() {
        return new SettingsReader(name -> ConfigProvider.getConfig().getOptionalValue(name, String.class)).read();
    }

    /**
     * Validates the configuration and the catalogue file at start, so a bad value stops the instance before its
     * first request. The store is opened by the first function that needs it, so a deployment that never does
     * (login) pays nothing for it at its cold start.
     */
    void onStart(@Observes StartupEvent started, Settings settings) {
        if (settings.cataloguePath() != null) {
            catalogue = CatalogueFile.parse(settings.cataloguePath(),
                    settings.subMerchants().stream().map(SubMerchant::subMchid).toList());
        }
        LOG.infof("configured: %s", settings);
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    OrderStore orderStore(Settings settings) {
        OrderStore store;
        try {
            store = OrderStores.open(settings.orderStoreUri());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("ORDER_STORE_URI", e.getMessage());
        }
        if (!catalogue.isEmpty()) {
            try {
                store.saveProducts(catalogue);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            LOG.infof("catalogue: %d products from %s", catalogue.size(), settings.cataloguePath());
        }
        return store;
    }

    void closeStore(@Disposes OrderStore store) {
        store.close();
    }

    @Produces
    @Singleton
    WeChatPayClients weChatPayClients(Settings s) {
        return WeChatPayClients.create(new WeChatPaySettings(s.appid(), s.mchid(), s.merchantSerialNumber(),
                s.merchantPrivateKeyPem(), s.apiV3Key(), s.platformPublicKeyPem(), s.platformPublicKeyId(),
                s.verification() == MerchantMode.Verification.BOTH, s.notifyUrl().toString(),
                s.refundNotifyUrl().toString(), s.wechatPayBaseUrl().toString(),
                s.wechatPayBackupBaseUrl() == null ? null : s.wechatPayBackupBaseUrl().toString(), null, null));
    }

    @Produces
    @Singleton
    PaymentGateway paymentGateway(WeChatPayClients clients) {
        return new WeChatPayGateway(clients);
    }

    @Produces
    @Singleton
    NotificationVerifier notificationVerifier(WeChatPayClients clients, Clock clock) {
        return new NotificationVerifier(clients, clock);
    }

    @Produces
    @Singleton
    OrderPolicy orderPolicy(Settings s) {
        return new OrderPolicy(s.appid(), s.mchid(), s.orderTtl(), s.ownerRefundWindow(), s.subMerchants());
    }

    @Produces
    @Singleton
    OrderService orderService(OrderStore store, PaymentGateway gateway, OrderPolicy policy, Clock clock) {
        return new OrderService(store, gateway, policy, clock);
    }

    /** Trade bills come gzipped from WeChat Pay: smaller downloads, the hash is still over the plain file. */
    @Produces
    @Singleton
    BillSource billSource(WeChatPayClients clients) {
        BillDownloader downloader = new BillDownloader(clients);
        return (date, subMchid) -> downloader.tradeBill(date, subMchid, true);
    }

    @Produces
    @Singleton
    Reconciler reconciler(OrderStore store, PaymentGateway gateway, OrderService service, BillSource bills,
                          OrderPolicy policy) {
        return new Reconciler(store, gateway, service, bills,
                policy.subMerchants().stream().map(SubMerchant::subMchid).toList());
    }

    @Produces
    @Singleton
    SessionTokens sessionTokens(Settings s, Clock clock) {
        Set<String> appids = new HashSet<>(s.subAppSecrets().keySet());
        appids.add(s.appid());
        return new SessionTokens(s.sessionSecret(), s.appid(), appids, s.sessionTtl(), clock);
    }

    /** listOrders cursors are signed under a key derived from the session secret (the same on every instance). */
    @Produces
    @Singleton
    OrderCursors orderCursors(Settings s) {
        return new OrderCursors(s.sessionSecret());
    }

    @Produces
    @Singleton
    OperatorKey operatorKey(Settings s) {
        return new OperatorKey(s.operatorApiKey());
    }

    @Produces
    @Singleton
    LoginService loginService(@RestClient Code2SessionClient client, SessionTokens tokens, Settings s) {
        Map<String, String> secrets = new HashMap<>(s.subAppSecrets());
        secrets.put(s.appid(), s.appSecret());
        return new LoginService(client, tokens, s.appid(), secrets);
    }
}
