package io.wxpayfn.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import io.wxpayfn.events.AfterResponseDelivery;
import io.wxpayfn.events.HttpEventSender;
import io.wxpayfn.function.EventFunctions;
import io.wxpayfn.function.OrderCursors;
import io.wxpayfn.identity.Code2SessionClient;
import io.wxpayfn.identity.LoginService;
import io.wxpayfn.identity.OperatorKey;
import io.wxpayfn.identity.SessionTokens;
import io.wxpayfn.order.DeliverySchedule;
import io.wxpayfn.order.EventSender;
import io.wxpayfn.order.OrderEventDispatcher;
import io.wxpayfn.order.OrderEventListener;
import io.wxpayfn.order.OrderPolicy;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.PaymentGateway;
import io.wxpayfn.order.Product;
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
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;

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
            catalogue = CatalogueFile.parse(settings.cataloguePath());
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
                s.notifyUrl().toString(), s.refundNotifyUrl().toString(), s.wechatPayBaseUrl().toString()));
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
    OrderService orderService(OrderStore store, PaymentGateway gateway, Settings s, Clock clock,
                              OrderEventListener events) {
        return new OrderService(store, gateway,
                new OrderPolicy(s.appid(), s.mchid(), s.orderTtl(), s.ownerRefundWindow()), clock, events);
    }

    /**
     * Order events go to MERCHANT_EVENTS_URL when it is set. Unset, they are still recorded with their orders (and
     * listed), but nothing sends them: the sender is never called, since the listener does nothing and the
     * functions that would send refuse.
     */
    @Produces
    @Singleton
    OrderEventDispatcher orderEventDispatcher(OrderStore store, Settings s, ObjectMapper json, Clock clock) {
        EventSender sender = s.merchantEventsUrl() == null
                ? event -> EventSender.DeliveryOutcome.failedWith("MERCHANT_EVENTS_URL is not set")
                : new HttpEventSender(s.merchantEventsUrl(), s.merchantEventsSecret(), json, clock,
                        s.merchantEventsTimeout());
        return new OrderEventDispatcher(store, sender,
                DeliverySchedule.standard(HttpEventSender.leaseFor(s.merchantEventsTimeout())), clock);
    }

    @Produces
    @Singleton
    EventFunctions.EventDeliverySwitch eventDelivery(Settings s) {
        return () -> s.merchantEventsUrl() != null;
    }

    /** Due events are delivered after the answer to the request that recorded them has ended (see the class). */
    @Produces
    @Singleton
    OrderEventListener orderEventListener(Settings s, Instance<OrderEventDispatcher> dispatcher) {
        return s.merchantEventsUrl() == null ? OrderEventListener.NONE
                : new AfterResponseDelivery(dispatcher.get(), Wiring::currentRequest);
    }

    void stopDeliveries(@Disposes OrderEventListener listener) {
        if (listener instanceof AfterResponseDelivery worker) {
            worker.close();
        }
    }

    /** The HTTP request this thread is handling, or null outside one. */
    private static RoutingContext currentRequest() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        return Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
    }

    /** Trade bills come gzipped from WeChat Pay: smaller downloads, the hash is still over the plain file. */
    @Produces
    @Singleton
    BillSource billSource(WeChatPayClients clients) {
        BillDownloader downloader = new BillDownloader(clients);
        return date -> downloader.tradeBill(date, true);
    }

    @Produces
    @Singleton
    Reconciler reconciler(OrderStore store, PaymentGateway gateway, OrderService service, BillSource bills) {
        return new Reconciler(store, gateway, service, bills);
    }

    @Produces
    @Singleton
    SessionTokens sessionTokens(Settings s, Clock clock) {
        return new SessionTokens(s.sessionSecret(), s.appid(), s.sessionTtl(), clock);
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
        return new LoginService(client, tokens, s.appid(), s.appSecret());
    }
}
