package dev.stratus.index.mongodb;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.util.UUID;

/**
 * The MongoDB servers of the tests: mongo-java-server in this JVM (one for all tests, on a free
 * loopback port), and a real MongoDB when STRATUS_TEST_MONGODB_URI names one. Each test gets a
 * database of its own with a random name, dropped afterwards.
 */
final class TestMongo {
    private TestMongo() {}

    static final String REAL_URI_VARIABLE = "STRATUS_TEST_MONGODB_URI";
    private static MongoServer memory;

    /** The connection string of the in-process server, started on first use. */
    static synchronized String memoryServerUri() {
        if (memory == null) {
            // The 5.x driver needs wire version 8 (MongoDB 4.2) at least: mongo-java-server 1.47 speaks 5.0 when told to.
            memory = new MongoServer(new MemoryBackend().version(ServerVersion.MONGO_5_0));
            memory.bind("127.0.0.1", 0);
            Runtime.getRuntime().addShutdownHook(new Thread(memory::shutdownNow));
        }
        return "mongodb://127.0.0.1:" + memory.getLocalAddress().getPort() + "/";
    }

    static String realServerUri() {
        return System.getenv(REAL_URI_VARIABLE);
    }

    static String randomDatabase() {
        return "stratus_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The connection string with its database replaced by {@code database} (options and credentials kept). */
    static String withDatabase(String uri, String database) {
        int query = uri.indexOf('?');
        String base = query < 0 ? uri : uri.substring(0, query), options = query < 0 ? "" : uri.substring(query);
        int hostsStart = base.indexOf("://") + 3;
        int slash = base.indexOf('/', hostsStart);
        String hosts = slash < 0 ? base : base.substring(0, slash);
        return hosts + "/" + database + options;
    }

    static String databaseOf(String uri) {
        return new ConnectionString(uri).getDatabase();
    }

    static void drop(String uri) {
        try (MongoClient client = MongoClients.create(uri)) {
            client.getDatabase(databaseOf(uri)).drop();
        }
    }
}
