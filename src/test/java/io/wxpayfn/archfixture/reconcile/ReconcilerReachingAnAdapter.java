package io.wxpayfn.archfixture.reconcile;

import io.wxpayfn.archfixture.store.FixtureStore;

/** Violates "reconcile/ imports only java.* and order/". */
public class ReconcilerReachingAnAdapter {
    public FixtureStore store;
}
