package dev.stratus.index.mongodb;

import dev.stratus.index.Index;
import dev.stratus.index.IndexContractTest;

/** The contract through the real MongoDB driver against mongo-java-server (in-memory backend), a database per test. */
class InMemoryMongoIndexTest extends IndexContractTest {
    private String uri;

    @Override
    protected Index openFreshIndex() {
        uri = TestMongo.withDatabase(TestMongo.memoryServerUri(), TestMongo.randomDatabase());
        return MongoIndex.open(uri, true);
    }

    @Override
    protected void dropFreshIndex() {
        if (uri != null) TestMongo.drop(uri);
    }

    @Override
    protected Index reopen(boolean outbox) {
        return MongoIndex.open(uri, null, null, false, outbox);
    }

    @Override
    protected boolean storesAreTransactions() {
        return false;
    }
}
