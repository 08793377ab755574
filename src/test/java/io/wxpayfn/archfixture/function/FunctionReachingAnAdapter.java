package io.wxpayfn.archfixture.function;

import io.wxpayfn.archfixture.store.FixtureStore;

/** Violates "function/ reaches adapters only through order/ ports". */
public class FunctionReachingAnAdapter {
    public FixtureStore store;
}
