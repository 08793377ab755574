package io.wxpayfn.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.StoreUnavailableException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresOrderStoreTest extends OrderStoreContract {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    static String uri(String scheme) {
        return scheme + "://postgres:any%40pass@localhost:" + postgres.getPort() + "/postgres?sslmode=disable";
    }

    @Override
    protected OrderStore openEmptyStore() throws Exception {
        OrderStore opened = OrderStores.open(uri("postgresql"));
        opened.find("schema-is-created-by-the-first-use");
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
             Statement truncate = admin.createStatement()) {
            truncate.executeUpdate("TRUNCATE orders, refund_numbers, products");
        }
        return opened;
    }

    @Test
    void firstUseRecordsTheSchemaVersion() throws Exception {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
             Statement select = admin.createStatement();
             ResultSet rows = select.executeQuery("SELECT version FROM schema_version")) {
            assertTrue(rows.next());
            assertEquals(PostgresOrderStore.SCHEMA_VERSION, rows.getInt(1));
            assertFalse(rows.next());
        }
    }

    @Test
    void postgresSchemeIsAcceptedToo() {
        try (OrderStore other = OrderStores.open(uri("postgres"))) {
            other.createIfAbsent(unpaid("T9001", 100, T0));
        }
        assertEquals("T9001", store.find("T9001").orElseThrow().outTradeNo());
    }

    @Test
    void closedPortMakesTheFirstOperationStoreUnavailableNamingPostgresqlWithoutThePassword() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (OrderStore unreachable = OrderStores.open(
                "postgresql://app:s3cret-pw@127.0.0.1:" + closedPort + "/orders?connectTimeout=2")) {
            StoreUnavailableException failure = assertThrows(StoreUnavailableException.class,
                    () -> unreachable.find("T1"));
            assertTrue(failure.getMessage().startsWith("postgresql order store unavailable"), failure.getMessage());
            assertFalse(failure.getMessage().contains("s3cret-pw"), failure.getMessage());
        }
    }
}
