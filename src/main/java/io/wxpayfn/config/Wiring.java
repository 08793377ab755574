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
import io.wxpayfn.order.NotificationVerification;
import io.wxpayfn.order.OrderEventDispatcher;
import io.wxpayfn.order.OrderEventListener;
import io.wxpayfn.order.OrderPolicy;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.PaymentGateway;
import io.wxpayfn.order.SubMerchant;
import io.wxpayfn.reconcile.BillSource;
import io.wxpayfn.reconcile.Reconciler;
import io.wxpayfn.store.LazyOrderStore;
import io.wxpayfn.store.OrderStores;
import io.wxpayfn.wechat.BillDownloader;
import io.wxpayfn.wechat.NotificationVerifier;
import io.wxpayfn.wechat.WeChatPayClients;
import io.wxpayfn.wechat.WeChatPayGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Builds the plain-Java services from the checked {@link Configuration}, once per instance. Nothing here does
 * I/O while a bean is made: the WeChat Pay clients are built by the first call that needs them (the gateway is
 * an application-scoped proxy) and the store opens at its first use ({@link LazyOrderStore}).
 */
@Singleton
public class Wiring {

    private static final Logger LOG = Logger.getLogger(Wiring.class);

    @Produces
    @Singleton
    Configuration configuration(
            Environment.WeChatPay wechatpay,
            Environment.MiniProgram miniProgram,
            Environment.Session session,
            Environment.Orders orders,
            Environment.Owner owner,
            Environment.Catalogue catalogue,
            Environment.Operator operator,
            Environment.Reconcile reconcile,
            Environment.MerchantEvents merchantEvents) {
        return new Configuration(
                wechatpay,
                miniProgram,
                session,
                orders,
                owner,
                catalogue,
                operator,
                reconcile,
                merchantEvents,
                "scf".equals(System.getProperty(Configuration.PLATFORM_PROPERTY)));
    }

    @Produces
    @Singleton
    FunctionSpecs functionSpecs() {
        return FunctionSpecs.load();
    }

    /**
     * Checks, before the first request, every setting the deployed function uses (functions/functions.json) and
     * nothing else: a login deployment holds no merchant key and is not asked for one.
     */
    void onStart(
            @Observes StartupEvent started,
            Configuration configuration,
            FunctionSpecs specs,
            @ConfigProperty(name = "FUNCTION_ROUTE") Optional<String> route) {
        Set<String> concerns = deployedConcerns(specs, route);
        configuration.check(concerns);
        LOG.infof("configured %s: %s", route.orElse("every function"), configuration.describe(concerns));
        if (concerns.contains("store") && configuration.storeIsPerInstance()) {
            LOG.warnf("ORDER_STORE_URI is a SQLite file in /tmp on SCF: it belongs to this instance only and is "
                    + "lost when the instance stops; use postgresql:// or mongodb:// for real orders");
        }
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Application-scoped (a proxy): made at the first call on it, so downloadBill, which never touches the store,
     * is not asked for ORDER_STORE_URI. Only unifiedOrder's deployment carries the catalogue, so only it makes the
     * file the store's catalogue.
     */
    @Produces
    @ApplicationScoped
    OrderStore orderStore(
            Configuration configuration,
            FunctionSpecs specs,
            @ConfigProperty(name = "FUNCTION_ROUTE") Optional<String> route) {
        String uri = configuration.storeUri();
        boolean seeds = deployedConcerns(specs, route).contains("catalogue")
                && configuration.catalogue().file().isPresent();
        return new LazyOrderStore(
                () -> OrderStores.open(uri),
                seeds ? configuration.catalogue().products() : null,
                configuration.catalogue().file().map(Object::toString).orElse(""));
    }

    void closeStore(@Disposes OrderStore store) {
        store.close();
    }

    @Produces
    @Singleton
    WeChatPayClients weChatPayClients(Configuration configuration) {
        return WeChatPayClients.create(configuration.wechatPay());
    }

    /** Application-scoped: a proxy, so the SDK clients are built by the first call to WeChat Pay, not at start. */
    @Produces
    @ApplicationScoped
    PaymentGateway paymentGateway(WeChatPayClients clients) {
        return new WeChatPayGateway(clients);
    }

    /**
     * Public-key mode needs only the APIv3 key and WeChat Pay's public key; no merchant private key. Platform
     * certificates (alone, or beside the public key while switching) are downloaded with the merchant's clients.
     */
    @Produces
    @Singleton
    NotificationVerification notificationVerifier(
            Configuration configuration,
            FunctionSpecs specs,
            Clock clock,
            jakarta.enterprise.inject.Instance<WeChatPayClients> merchantClients) {
        WeChatPayClients clients = configuration
                .notificationKeys(true)
                .map(keys -> WeChatPayClients.forNotifications(
                        keys.apiV3Key(), keys.platformPublicKeyPem(), keys.platformPublicKeyId()))
                .orElseGet(merchantClients::get);
        return new NotificationVerifier(clients, clock);
    }

    /** Whom orders are paid to: the merchant, or in partner mode the provider's sub-merchants. */
    @Produces
    @Singleton
    OrderPolicy orderPolicy(Configuration configuration) {
        return new OrderPolicy(
                configuration.appidIfSet().orElse(null),
                configuration.mchidIfSet().orElse(null),
                configuration.catalogue().orderTtl(),
                configuration.ownerRefundWindow(),
                configuration.subMerchants());
    }

    @Produces
    @Singleton
    OrderService orderService(
            OrderStore store, PaymentGateway gateway, OrderPolicy policy, Clock clock, OrderEventListener events) {
        return new OrderService(store, gateway, policy, clock, events);
    }

    /**
     * Order events go to MERCHANT_EVENTS_URL where the deployed function uses the merchantEvents concern and it is
     * set. Elsewhere they are still recorded with their orders (and listed), but nothing sends them: the sender is
     * never called, since the listener does nothing and the functions that would send refuse.
     */
    @Produces
    @Singleton
    OrderEventDispatcher orderEventDispatcher(
            OrderStore store,
            Configuration configuration,
            FunctionSpecs specs,
            @ConfigProperty(name = "FUNCTION_ROUTE") Optional<String> route,
            ObjectMapper json,
            Clock clock) {
        Optional<Configuration.MerchantEventsSettings> events = merchantEvents(configuration, specs, route);
        EventSender sender = events.<EventSender>map(
                        e -> new HttpEventSender(e.url(), e.secret(), json, clock, e.timeout()))
                .orElse(event -> EventSender.DeliveryOutcome.failedWith("MERCHANT_EVENTS_URL is not set"));
        Duration timeout = events.map(Configuration.MerchantEventsSettings::timeout)
                .orElse(Configuration.MerchantEventsSettings.DEFAULT_TIMEOUT);
        return new OrderEventDispatcher(
                store, sender, DeliverySchedule.standard(HttpEventSender.leaseFor(timeout)), clock);
    }

    @Produces
    @Singleton
    EventFunctions.EventDeliverySwitch eventDelivery(
            Configuration configuration,
            FunctionSpecs specs,
            @ConfigProperty(name = "FUNCTION_ROUTE") Optional<String> route) {
        boolean enabled = merchantEvents(configuration, specs, route).isPresent();
        return () -> enabled;
    }

    /** Due events are delivered after the answer to the request that recorded them has ended (see the class). */
    @Produces
    @Singleton
    OrderEventListener orderEventListener(
            Configuration configuration,
            FunctionSpecs specs,
            @ConfigProperty(name = "FUNCTION_ROUTE") Optional<String> route,
            Instance<OrderEventDispatcher> dispatcher) {
        return merchantEvents(configuration, specs, route).isEmpty()
                ? OrderEventListener.NONE
                : new AfterResponseDelivery(dispatcher.get(), Wiring::currentRequest);
    }

    void stopDeliveries(@Disposes OrderEventListener listener) {
        if (listener instanceof AfterResponseDelivery worker) {
            worker.close();
        }
    }

    private static Optional<Configuration.MerchantEventsSettings> merchantEvents(
            Configuration configuration, FunctionSpecs specs, Optional<String> route) {
        return deployedConcerns(specs, route).contains("merchantEvents")
                ? configuration.merchantEvents()
                : Optional.empty();
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
    @ApplicationScoped
    BillSource billSource(WeChatPayClients clients) {
        BillDownloader downloader = new BillDownloader(clients);
        return (date, subMchid) -> downloader.tradeBill(date, subMchid, true);
    }

    @Produces
    @Singleton
    Reconciler reconciler(
            OrderStore store, PaymentGateway gateway, OrderService service, BillSource bills, OrderPolicy policy) {
        return new Reconciler(
                store,
                gateway,
                service,
                bills,
                policy.subMerchants().stream().map(SubMerchant::subMchid).toList());
    }

    @Produces
    @Singleton
    SessionTokens sessionTokens(Configuration configuration, Clock clock) {
        Configuration.SessionSettings session = configuration.session();
        return new SessionTokens(session.secret(), session.appid(), session.appids(), session.ttl(), clock);
    }

    /** A deployment holds only the keys of its own concerns: unifiedOrder none, refund the operator's, reconcile its own. */
    @Produces
    @Singleton
    OperatorKey operatorKey(
            Configuration configuration,
            FunctionSpecs specs,
            @ConfigProperty(name = "FUNCTION_ROUTE") Optional<String> route) {
        Set<String> concerns = deployedConcerns(specs, route);
        boolean operator = concerns.contains("operator") || concerns.contains("operatorOnly");
        return new OperatorKey(
                operator ? configuration.operatorKey() : Optional.empty(),
                concerns.contains("reconcile") ? configuration.reconcileKey() : Optional.empty());
    }

    private static Set<String> deployedConcerns(FunctionSpecs specs, Optional<String> route) {
        return specs.concernsOf(route.map(String::strip).filter(r -> !r.isEmpty()));
    }

    /** listOrders cursors are signed under a key derived from the session secret (the same on every instance). */
    @Produces
    @Singleton
    OrderCursors orderCursors(Configuration configuration) {
        return new OrderCursors(configuration.session().secret());
    }

    @Produces
    @Singleton
    LoginService loginService(
            @RestClient Code2SessionClient client, SessionTokens tokens, Configuration configuration) {
        Configuration.LoginSettings login = configuration.login();
        return new LoginService(client, tokens, login.appid(), login.secretsByAppid());
    }
}
