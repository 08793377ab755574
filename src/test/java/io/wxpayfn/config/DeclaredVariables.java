package io.wxpayfn.config;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** What functions.json gives a deployment, for the tests that hold descriptors and packages to it. */
public final class DeclaredVariables {

    private DeclaredVariables() {}

    /** Every variable a deployment of {@code route} is given: those of the concerns it uses. */
    public static Set<String> of(FunctionSpecs specs, String route) {
        Set<String> variables = new TreeSet<>();
        specs.concernsOf(Optional.of(route))
                .forEach(concern ->
                        variables.addAll(specs.concerns().get(concern).variables()));
        return variables;
    }
}
