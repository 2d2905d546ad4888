package dev.stratus.index.mongodb;

import dev.stratus.index.Index;
import dev.stratus.index.IndexContractTest;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The contract on a real MongoDB named by STRATUS_TEST_MONGODB_URI (e.g. mongodb://127.0.0.1:27017), a database per test. */
@EnabledIfEnvironmentVariable(named = TestMongo.REAL_URI_VARIABLE, matches = ".+",
        disabledReason = "no real MongoDB: set STRATUS_TEST_MONGODB_URI (e.g. mongodb://127.0.0.1:27017) to run the contract on one")
class RealMongoIndexTest extends IndexContractTest {
    private String uri;

    @Override
    protected Index openFreshIndex() {
        uri = TestMongo.withDatabase(TestMongo.realServerUri(), TestMongo.randomDatabase());
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
