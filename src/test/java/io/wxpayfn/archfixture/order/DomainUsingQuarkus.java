package io.wxpayfn.archfixture.order;

import io.quarkus.runtime.StartupEvent;

/** Violates "the domain imports only java.*": a domain class that knows the framework. */
public class DomainUsingQuarkus {
    public StartupEvent started;
}
