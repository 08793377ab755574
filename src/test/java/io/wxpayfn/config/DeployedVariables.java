package io.wxpayfn.config;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** What the tests check a function's deployment against: the variables of the concerns it uses. */
public final class DeployedVariables {

    private DeployedVariables() {}

    /** Every variable a deployment of {@code route} is given. */
    public static Set<String> of(FunctionSpecs specs, String route) {
        Set<String> variables = new TreeSet<>();
        specs.concernsOf(Optional.of(route))
                .forEach(concern ->
                        variables.addAll(specs.concerns().get(concern).variables()));
        return variables;
    }
}
