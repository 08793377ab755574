package io.wxpayfn.archfixture.store;

/** An adapter that the fixtures below reach past their ports. */
public class FixtureStore {}
