package io.wxpayfn.store;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.ConnectionString;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.wxpayfn.order.EventQueue;
import io.wxpayfn.order.EventQueuePosition;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderFilter;
import io.wxpayfn.order.OrderPosition;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.Product;
import io.wxpayfn.order.StateConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * MongoDB and compatible document stores: collection {@code orders} keyed by outTradeNo, every write one
 * single-document operation filtered on {_id, version, status}, so no transactions are needed. Alongside the
 * codec's JSON the document carries {@value #UPDATED_AT_KEY}, {@value #CREATED_AT_KEY} and {@value #PAID_AT_KEY}
 * (epoch nanoseconds) for the sweeper's and reconcile's range queries and the list order, because ISO strings with
 * varying fraction digits do not sort by time.
 */
public final class MongoOrderStore implements OrderStore {

    static final String KIND = "mongodb";
    static final String DEFAULT_DATABASE = "wxpayfn";
    static final String UPDATED_AT_KEY = "updatedAtNanos";
    /** createdAt as epoch nanoseconds: the listOrders sort key, beside _id as the tie-break. */
    static final String CREATED_AT_KEY = "createdAtNanos";

    /** paidAt as epoch nanoseconds, for reconcile's scan by payment time (written with every document). */
    static final String PAID_AT_KEY = "paidAtNanos";
    /** When the head event is next due (epoch nanoseconds); absent unless it is pending: the sparse due index. */
    static final String EVENTS_DUE_KEY = "eventsDueAtNanos";
    /** When the head event was parked (epoch nanoseconds); absent unless it is: the sparse parked index. */
    static final String EVENTS_PARKED_KEY = "eventsParkedAtNanos";
    /**
     * "T:&lt;outTradeNo&gt;" plus "R:&lt;outRefundNo&gt;" per refund, under one unique multikey index: never empty, so
     * orders without refunds need no sparse or partial index to avoid colliding on a missing key, and a document
     * never moves in or out of the index (a move the protocol fake used in tests mishandles).
     */
    static final String KEYS_FIELD = "uniqueKeys";

    private static final int DEFAULT_TIMEOUT_MILLIS = 5_000;
    private static final int BACKFILL_BATCH = 500;

    private final OrderDocumentCodec codec = new OrderDocumentCodec();
    private final MongoClient client;
    private final MongoCollection<Document> orders;
    private final MongoCollection<Document> products;
    private final String password;

    /** Uses the given collections; indexes are created here, so an unreachable server fails at once. */
    MongoOrderStore(
            MongoClient client, MongoCollection<Document> orders, MongoCollection<Document> products, String password) {
        this.client = client;
        this.orders = orders;
        this.products = products;
        this.password = password;
        try {
            orders.createIndex(
                    Indexes.ascending(KEYS_FIELD),
                    new IndexOptions().name("unique_keys").unique(true));
            orders.createIndex(Indexes.ascending("status", UPDATED_AT_KEY), new IndexOptions().name("status_updated"));
            // listOrders: each filter fixes the equality fields of one index ending in (createdAtNanos, _id); a
            // status $in is read as one range per status, merged in order (the planner's SORT_MERGE).
            orders.createIndex(
                    Indexes.ascending("openid", CREATED_AT_KEY, "_id"), new IndexOptions().name("owner_created"));
            orders.createIndex(
                    Indexes.ascending("openid", "status", CREATED_AT_KEY, "_id"),
                    new IndexOptions().name("owner_status_created"));
            orders.createIndex(
                    Indexes.ascending("status", CREATED_AT_KEY, "_id"), new IndexOptions().name("status_created"));
            orders.createIndex(Indexes.ascending(CREATED_AT_KEY, "_id"), new IndexOptions().name("created"));
            // Order events: sparse, so only orders with undelivered events are in them. Documents of an earlier
            // version have no events and no keys, which is right: there is nothing to fill.
            orders.createIndex(
                    Indexes.ascending(EVENTS_DUE_KEY, "_id"),
                    new IndexOptions().name("events_due").sparse(true));
            orders.createIndex(
                    Indexes.ascending(EVENTS_PARKED_KEY, "_id"),
                    new IndexOptions().name("events_parked").sparse(true));
            backfillCreatedAt();
        } catch (MongoException e) {
            client.close();
            throw StoreFailure.unavailable(KIND, "create indexes", e, password);
        }
    }

    /**
     * Opens {@code mongodb://…} or {@code mongodb+srv://…}; the database is the one the URI names, else
     * {@value #DEFAULT_DATABASE}. Server selection and connecting time out after 5 s unless the URI says otherwise.
     */
    public static MongoOrderStore fromUri(String uri) {
        ConnectionString connection;
        try {
            connection = new ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ORDER_STORE_URI is not a valid MongoDB connection string; expected "
                    + "mongodb://user:password@host:port/database?options");
        }
        MongoClientSettings.Builder settings =
                MongoClientSettings.builder().applyConnectionString(connection).applicationName("wxpayfn");
        if (connection.getServerSelectionTimeout() == null) {
            settings.applyToClusterSettings(
                    c -> c.serverSelectionTimeout(DEFAULT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        }
        if (connection.getConnectTimeout() == null) {
            settings.applyToSocketSettings(s -> s.connectTimeout(DEFAULT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        }
        String password = connection.getPassword() == null ? null : new String(connection.getPassword());
        MongoClient client = MongoClients.create(settings.build());
        MongoDatabase database =
                client.getDatabase(connection.getDatabase() == null ? DEFAULT_DATABASE : connection.getDatabase());
        return new MongoOrderStore(
                client, database.getCollection("orders"), database.getCollection("products"), password);
    }

    @Override
    public Order createIfAbsent(Order order) {
        return call("create order " + order.outTradeNo(), () -> {
            try {
                orders.insertOne(toDocument(order));
                return order;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                // Another writer inserted the same order first: theirs is the result, as it would have been ours.
                return findOne(eq("_id", order.outTradeNo())).orElseThrow(() -> refundNumberTaken(order.outTradeNo()));
            }
        });
    }

    @Override
    public Optional<Order> find(String outTradeNo) {
        return call("read order " + outTradeNo, () -> findOne(eq("_id", outTradeNo)));
    }

    @Override
    public Optional<Order> findByOutRefundNo(String outRefundNo) {
        return call("read refund " + outRefundNo, () -> findOne(eq(KEYS_FIELD, "R:" + outRefundNo)));
    }

    @Override
    public boolean replaceIfCurrent(Order current, Order next) {
        StoreKeys.requireSameOrder(current, next);
        return call("write order " + next.outTradeNo(), () -> {
            try {
                return orders.replaceOne(
                                        and(
                                                eq("_id", current.outTradeNo()),
                                                eq("version", current.version()),
                                                eq("status", current.status().name())),
                                        toDocument(next))
                                .getMatchedCount()
                        == 1;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    throw refundNumberTaken(next.outTradeNo());
                }
                throw e;
            }
        });
    }

    @Override
    public List<Order> findByStatus(
            Set<OrderStatus> statuses, Instant updatedAtOrBefore, String afterOutTradeNo, int limit) {
        if (statuses.isEmpty() || limit <= 0) {
            return List.of();
        }
        return page(
                "scan orders by status",
                and(
                        in("status", statuses.stream().map(Enum::name).toList()),
                        lte(UPDATED_AT_KEY, StoreKeys.epochNanos(updatedAtOrBefore)),
                        gt("_id", afterOutTradeNo == null ? "" : afterOutTradeNo)),
                Indexes.ascending("_id"),
                limit);
    }

    @Override
    public List<Order> listOrders(OrderFilter filter, OrderPosition after, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<Bson> conditions = new ArrayList<>();
        conditions.add(exists(CREATED_AT_KEY));
        if (filter.openid() != null) {
            conditions.add(eq("openid", filter.openid()));
        }
        if (!filter.statuses().isEmpty()) {
            conditions.add(in(
                    "status",
                    filter.statuses().stream().map(Enum::name).sorted().toList()));
        }
        if (filter.createdFrom() != null) {
            conditions.add(gte(CREATED_AT_KEY, StoreKeys.epochNanos(filter.createdFrom())));
        }
        if (filter.createdTo() != null) {
            conditions.add(lt(CREATED_AT_KEY, StoreKeys.epochNanos(filter.createdTo())));
        }
        if (after != null) {
            long createdAt = StoreKeys.epochNanos(after.createdAt());
            conditions.add(or(
                    lt(CREATED_AT_KEY, createdAt), and(eq(CREATED_AT_KEY, createdAt), lt("_id", after.outTradeNo()))));
        }
        return page("list orders", and(conditions), Sorts.descending(CREATED_AT_KEY, "_id"), limit);
    }

    @Override
    public List<Order> findEventQueues(EventQueue queue, Instant atOrBefore, EventQueuePosition after, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        String key = queue == EventQueue.PENDING ? EVENTS_DUE_KEY : EVENTS_PARKED_KEY;
        List<Bson> conditions = new ArrayList<>(List.of(exists(key)));
        if (atOrBefore != null) {
            conditions.add(lte(key, StoreKeys.epochNanos(atOrBefore)));
        }
        if (after != null) {
            long at = StoreKeys.epochNanos(after.at());
            conditions.add(or(gt(key, at), and(eq(key, at), gt("_id", after.outTradeNo()))));
        }
        return page("scan event queues", and(conditions), Sorts.ascending(key, "_id"), limit);
    }

    @Override
    public List<Order> findPaidBetween(Instant paidFrom, Instant paidBefore, String afterOutTradeNo, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return page(
                "scan orders by payment time",
                and(
                        in("status", StoreKeys.PAYMENT_HELD),
                        gte(UPDATED_AT_KEY, StoreKeys.updatedAtLowerBound(paidFrom)),
                        gte(PAID_AT_KEY, StoreKeys.epochNanos(paidFrom)),
                        lt(PAID_AT_KEY, StoreKeys.epochNanos(paidBefore)),
                        gt("_id", afterOutTradeNo == null ? "" : afterOutTradeNo)),
                Indexes.ascending("_id"),
                limit);
    }

    /** Up to {@code limit} orders matching {@code filter}, read in {@code sort} order. */
    private List<Order> page(String action, Bson filter, Bson sort, int limit) {
        return call(action, () -> {
            List<Order> page = new ArrayList<>();
            orders.find(filter).sort(sort).limit(limit).forEach(document -> page.add(toOrder(document)));
            return page;
        });
    }

    /** Inserts or replaces one catalogue entry by id. */
    private ReplaceOneModel<Document> upsert(Product product) {
        Document document = Document.parse(codec.toJson(product)).append("_id", product.id());
        return new ReplaceOneModel<>(eq("_id", product.id()), document, new ReplaceOptions().upsert(true));
    }

    @Override
    public void saveProducts(Collection<Product> catalogue) {
        if (catalogue.isEmpty()) {
            return;
        }
        call("save products", () -> {
            return products.bulkWrite(catalogue.stream().map(this::upsert).toList());
        });
    }

    /** Ordered bulk write: the listed products first, then every other one deactivated; re-running it is harmless. */
    @Override
    public void replaceCatalogue(Collection<Product> catalogue) {
        call("replace the catalogue", () -> {
            List<WriteModel<Document>> writes = new ArrayList<>();
            catalogue.forEach(product -> writes.add(upsert(product)));
            writes.add(new UpdateManyModel<>(
                    Filters.nin("_id", catalogue.stream().map(Product::id).toList()), Updates.set("active", false)));
            return products.bulkWrite(writes);
        });
    }

    @Override
    public Optional<Product> findProduct(String productId) {
        return call("read product " + productId, () -> {
            Document document = products.find(eq("_id", productId)).first();
            if (document == null) {
                return Optional.empty();
            }
            document.remove("_id");
            return Optional.of(codec.productFromJson(document.toJson()));
        });
    }

    @Override
    public void close() {
        client.close();
    }

    private Document toDocument(Order order) {
        Document document = Document.parse(codec.toJson(order));
        document.put("_id", order.outTradeNo());
        document.put(UPDATED_AT_KEY, StoreKeys.updatedAtKey(order));
        document.put(CREATED_AT_KEY, StoreKeys.createdAtKey(order));
        if (order.paidAt() != null) {
            document.put(PAID_AT_KEY, StoreKeys.epochNanos(order.paidAt()));
        }
        Long due = StoreKeys.eventsDueKey(order);
        if (due != null) {
            document.put(EVENTS_DUE_KEY, due);
        }
        Long parked = StoreKeys.eventsParkedKey(order);
        if (parked != null) {
            document.put(EVENTS_PARKED_KEY, parked);
        }
        List<String> keys = new ArrayList<>();
        keys.add("T:" + order.outTradeNo());
        order.refunds().forEach(refund -> keys.add("R:" + refund.outRefundNo()));
        document.put(KEYS_FIELD, keys);
        return document;
    }

    private Order toOrder(Document document) {
        document.remove("_id");
        document.remove(UPDATED_AT_KEY);
        document.remove(CREATED_AT_KEY);
        document.remove(PAID_AT_KEY);
        document.remove(EVENTS_DUE_KEY);
        document.remove(EVENTS_PARKED_KEY);
        document.remove(KEYS_FIELD);
        return codec.orderFromJson(document.toJson());
    }

    /**
     * Gives every order stored before listOrders existed (or inserted since by an instance of that version) its
     * createdAtNanos, computed from its own createdAt: each update is conditional on the key still being absent, so
     * instances starting together write the same value once.
     */
    private void backfillCreatedAt() {
        List<Order> batch = new ArrayList<>();
        do {
            batch.clear();
            orders.find(exists(CREATED_AT_KEY, false)).limit(BACKFILL_BATCH).forEach(d -> batch.add(toOrder(d)));
            for (Order order : batch) {
                orders.updateOne(
                        and(eq("_id", order.outTradeNo()), exists(CREATED_AT_KEY, false)),
                        Updates.set(CREATED_AT_KEY, StoreKeys.createdAtKey(order)));
            }
        } while (!batch.isEmpty());
    }

    private Optional<Order> findOne(org.bson.conversions.Bson filter) {
        Document document = orders.find(filter).first();
        return document == null ? Optional.empty() : Optional.of(toOrder(document));
    }

    private static StateConflictException refundNumberTaken(String outTradeNo) {
        return new StateConflictException("could not write order " + outTradeNo + ": one of its out_refund_no values "
                + "already belongs to another order");
    }

    private <T> T call(String action, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (MongoException e) {
            throw StoreFailure.unavailable(KIND, action, e, password);
        }
    }
}
