package io.wxpayfn.store;

import io.wxpayfn.order.InMemoryOrderStore;
import io.wxpayfn.order.OrderStore;

/** The test double the domain's unit tests run on shows the same behaviour as the real adapters. */
class InMemoryOrderStoreTest extends OrderStoreContract {

    @Override
    protected OrderStore openEmptyStore() {
        return new InMemoryOrderStore();
    }
}
