package io.wxpayfn.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.List;

/** mongo-java-server, an in-memory MongoDB protocol fake, started on a free loopback port. */
public final class FakeMongo implements AutoCloseable {

    /** The fake announces at most MongoDB 4.0 (wire 7); driver 5.x needs 4.2 (wire 8), which the fake's commands cover. */
    private static final MongoVersion WIRE_VERSION_8 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 2, 0);
        }

        @Override
        public int getWireVersion() {
            return 8;
        }
    };

    private final MongoServer server = new MongoServer(new MemoryBackend().version(WIRE_VERSION_8));
    private final String uri;

    public FakeMongo(String database) {
        InetSocketAddress address = server.bind();
        uri = "mongodb://127.0.0.1:" + address.getPort() + "/" + database;
    }

    public String uri() {
        return uri;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
