package io.wxpayfn.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.WriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderFilter;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.StoreUnavailableException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the contract against mongo-java-server, an in-memory protocol fake, not a real MongoDB. */
class MongoOrderStoreTest extends OrderStoreContract {

    private static final String DATABASE = "wxpayfn_test";
    private static FakeMongo server;
    private static String uri;

    @BeforeAll
    static void startServer() {
        server = new FakeMongo(DATABASE);
        uri = server.uri();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected OrderStore openEmptyStore() {
        try (MongoClient admin = MongoClients.create(uri)) {
            admin.getDatabase(DATABASE).drop();
        }
        return OrderStores.open(uri);
    }

    @Test
    void createLosingTheInsertRaceReturnsTheOrderTheOtherWriterStored() {
        Order theirs = unpaid("T9101", 100, T0);
        Order ours = unpaid("T9101", 999, T0.plusSeconds(3));
        MongoClient client = MongoClients.create(uri);
        MongoDatabase database = client.getDatabase(DATABASE);
        MongoCollection<Document> orders = database.getCollection("orders");
        try (OrderStore racing =
                new MongoOrderStore(client, insertRacedBy(theirs, orders), database.getCollection("products"), null)) {
            assertEquals(theirs, racing.createIfAbsent(ours));
            assertEquals(Optional.of(theirs), racing.find("T9101"));
        }
    }

    @Test
    void ordersStoredBeforeListingsGetTheirCreationKeyAtOpenAndAreListedNewestFirst() {
        Order older = ownedBy("o-legacy", "OLD-1", T0);
        Order newer = ownedBy("o-legacy", "OLD-2", T0.plusSeconds(1));
        try (MongoClient admin = MongoClients.create(uri)) {
            MongoCollection<Document> orders = admin.getDatabase(DATABASE).getCollection("orders");
            for (Order order : List.of(older, newer)) {
                // The document as the version before listOrders wrote it: no createdAtNanos.
                orders.insertOne(Document.parse(new OrderDocumentCodec().toJson(order))
                        .append("_id", order.outTradeNo())
                        .append(MongoOrderStore.UPDATED_AT_KEY, 0L)
                        .append(MongoOrderStore.KEYS_FIELD, List.of("T:" + order.outTradeNo())));
            }
        }
        try (OrderStore reopened = OrderStores.open(uri)) {
            assertEquals(
                    List.of(newer, older), reopened.listOrders(OrderFilter.any().ownedBy("o-legacy"), null, 10));
        }
        try (MongoClient admin = MongoClients.create(uri)) {
            Document stored = admin.getDatabase(DATABASE)
                    .getCollection("orders")
                    .find(new Document("_id", "OLD-1"))
                    .first();
            assertEquals(StoreKeys.epochNanos(T0), stored.getLong(MongoOrderStore.CREATED_AT_KEY));
        }
    }

    @Test
    void ordersStoredBeforeOrderEventsNeedNoFillAndJoinTheEventQueueWithTheirFirstEvent() {
        Order legacy = unpaid("V2-1", 100, T0);
        try (MongoClient admin = MongoClients.create(uri)) {
            // The document as the version before order events wrote it: no events, no queue keys.
            Document document = Document.parse(new OrderDocumentCodec().toJson(legacy))
                    .append("_id", "V2-1")
                    .append(MongoOrderStore.UPDATED_AT_KEY, StoreKeys.updatedAtKey(legacy))
                    .append(MongoOrderStore.CREATED_AT_KEY, StoreKeys.createdAtKey(legacy))
                    .append(MongoOrderStore.KEYS_FIELD, List.of("T:V2-1"));
            document.remove("events");
            admin.getDatabase(DATABASE).getCollection("orders").insertOne(document);
        }
        try (OrderStore reopened = OrderStores.open(uri)) {
            assertReadAsStoredAndQueuedWithItsFirstEvent(reopened, legacy);
        }
        try (MongoClient admin = MongoClients.create(uri)) {
            List<Document> indexes = new ArrayList<>();
            admin.getDatabase(DATABASE).getCollection("orders").listIndexes().forEach(indexes::add);
            for (String name : List.of("events_due", "events_parked")) {
                Document index = indexes.stream()
                        .filter(i -> name.equals(i.getString("name")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(name + " missing from " + indexes));
                assertEquals(Boolean.TRUE, index.getBoolean("sparse"), index.toJson());
            }
        }
    }

    @Test
    void listIndexesAreCreatedAtOpen() {
        try (MongoClient admin = MongoClients.create(uri)) {
            List<String> names = new ArrayList<>();
            admin.getDatabase(DATABASE)
                    .getCollection("orders")
                    .listIndexes()
                    .forEach(index -> names.add(index.getString("name")));
            assertTrue(
                    names.containsAll(List.of("owner_created", "owner_status_created", "status_created", "created")),
                    names.toString());
        }
    }

    @Test
    void mongodbSrvSchemeIsRecognised() {
        IllegalArgumentException failure = assertThrows(
                IllegalArgumentException.class,
                () -> OrderStores.open("mongodb+srv://app:s3cret-pw@cluster.example:27017/db"));
        assertTrue(failure.getMessage().contains("ORDER_STORE_URI"), failure.getMessage());
        assertFalse(failure.getMessage().contains("s3cret-pw"), failure.getMessage());
    }

    @Test
    void closedPortFailsAtOpenWithStoreUnavailableNamingMongodbWithoutThePassword() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        StoreUnavailableException failure = assertThrows(
                StoreUnavailableException.class,
                () -> OrderStores.open(
                        "mongodb://app:s3cret-pw@127.0.0.1:" + closedPort + "/orders?serverSelectionTimeoutMS=300"));
        assertTrue(failure.getMessage().startsWith("mongodb order store unavailable"), failure.getMessage());
        assertFalse(failure.getMessage().contains("s3cret-pw"), failure.getMessage());
    }

    /**
     * The orders collection as a writer sees it when another instance inserts the same order between its check and
     * its insert: the rival's document lands, then this insert fails with duplicate key 11000, as a real server does.
     */
    @SuppressWarnings("unchecked")
    private MongoCollection<Document> insertRacedBy(Order rival, MongoCollection<Document> orders) {
        OrderStore rivalStore = OrderStores.open(uri);
        return (MongoCollection<Document>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {MongoCollection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("insertOne")) {
                        rivalStore.createIfAbsent(rival);
                        rivalStore.close();
                        throw new MongoWriteException(
                                new WriteError(
                                        11000,
                                        "E11000 duplicate key error collection: orders index: _id_",
                                        new BsonDocument()),
                                new ServerAddress("127.0.0.1"),
                                List.of());
                    }
                    try {
                        return method.invoke(orders, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
