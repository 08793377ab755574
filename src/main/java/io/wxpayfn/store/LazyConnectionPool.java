package io.wxpayfn.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A few JDBC connections, each opened on first need: a serverless instance that serves one request at a time opens
 * one, and nothing is opened at start. A connection that failed is closed rather than reused.
 */
final class LazyConnectionPool implements AutoCloseable {

    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private final Semaphore permits;
    private final long acquireTimeoutMillis;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    LazyConnectionPool(Opener opener, int maxConnections, long acquireTimeoutMillis) {
        this.opener = opener;
        this.permits = new Semaphore(maxConnections, true);
        this.acquireTimeoutMillis = acquireTimeoutMillis;
    }

    Connection acquire() throws SQLException {
        if (closed) {
            throw new SQLException("the store is closed");
        }
        try {
            if (!permits.tryAcquire(acquireTimeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new SQLTimeoutException("no connection became free within " + acquireTimeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a connection", e);
        }
        Connection connection = idle.pollFirst();
        if (connection != null) {
            return connection;
        }
        try {
            return opener.open();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Returns a connection; a broken one is closed, so the next caller opens a fresh one. */
    void release(Connection connection, boolean broken) {
        if (broken || closed) {
            closeQuietly(connection);
        } else {
            idle.addFirst(connection);
        }
        permits.release();
    }

    @Override
    public void close() {
        closed = true;
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // The server drops a broken session on its own.
        }
    }
}
