package dev.stratus.index.mongodb;

import com.mongodb.ConnectionString;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.stratus.index.IndexUnavailableException;
import org.bson.Document;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The client, the three collections, and how driver failures become IndexUnavailableException. */
final class Database implements AutoCloseable {
    static final String DEFAULT_DATABASE = "stratus";
    private static final int DUPLICATE_KEY = 11000;

    private final MongoClient client;
    final MongoDatabase db;
    final MongoCollection<Document> studies;
    final MongoCollection<Document> series;
    final MongoCollection<Document> instances;

    Database(String connectionString, String user, String password) {
        ConnectionString cs = new ConnectionString(connectionString);
        MongoClientSettings.Builder settings = MongoClientSettings.builder()
                .applyConnectionString(cs)
                .applicationName("stratus-index");
        // A request waits at most 3 s for the database before answering 503, unless the URL says otherwise.
        if (cs.getServerSelectionTimeout() == null) settings.applyToClusterSettings(c -> c.serverSelectionTimeout(3, TimeUnit.SECONDS));
        if (cs.getConnectTimeout() == null) settings.applyToSocketSettings(s -> s.connectTimeout(3, TimeUnit.SECONDS));
        if (cs.getCredential() == null && user != null && !user.isEmpty()) {
            String authDb = cs.getDatabase() == null ? "admin" : cs.getDatabase();
            settings.credential(MongoCredential.createCredential(user, authDb, password == null ? new char[0] : password.toCharArray()));
        }
        client = MongoClients.create(settings.build());
        db = client.getDatabase(cs.getDatabase() == null ? DEFAULT_DATABASE : cs.getDatabase());
        studies = db.getCollection("studies");
        series = db.getCollection("series");
        instances = db.getCollection("instances");
    }

    /** Runs one operation, turning a database that cannot answer into IndexUnavailableException. */
    <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (MongoException e) {
            if (isUnavailable(e)) throw unavailable(e);
            throw e;
        }
    }

    static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MongoTimeoutException || t instanceof MongoSocketException
                    || t instanceof MongoServerUnavailableException || t instanceof MongoConnectionPoolClearedException
                    || t instanceof MongoNotPrimaryException || t instanceof MongoNodeIsRecoveringException) return true;
        }
        return false;
    }

    static IndexUnavailableException unavailable(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (root != e && root.getMessage() != null) reason += " (" + root.getMessage() + ")"; // e.g. Connection refused
        return new IndexUnavailableException("index database unavailable: " + reason, e);
    }

    static boolean isDuplicateKey(MongoException e) {
        if (e instanceof MongoWriteException w) return w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
        return e.getCode() == DUPLICATE_KEY;
    }

    void ping() {
        call(() -> db.runCommand(new Document("ping", 1)));
    }

    @Override
    public void close() {
        client.close();
    }
}
