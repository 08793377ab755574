package io.wxpayfn.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The functions as {@code functions/functions.json} declares them (packaged as the resource {@code functions.json}):
 * each one's name, sizing and the setting concerns it uses, and the variables of each concern. The deployment
 * descriptors are generated from the same file, so a function is given exactly the variables it is checked for.
 */
public record FunctionSpecs(Map<String, Concern> concerns, Map<String, Spec> functions) {

    static final String RESOURCE = "functions.json";

    /** The variables of one concern. */
    public record Concern(String name, List<String> required, List<String> optional) {

        public Set<String> variables() {
            Set<String> all = new LinkedHashSet<>(required);
            all.addAll(optional);
            return all;
        }
    }

    /** One deployable function; {@code bodyLimitBytes} is the largest request body it reads. */
    public record Spec(
            String name, String description, int bodyLimitBytes, int memorySize, int timeout, List<String> uses) {}

    public static FunctionSpecs load() {
        try (InputStream in = FunctionSpecs.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FunctionSpecs parse(JsonNode root) {
        Map<String, Concern> concerns = new LinkedHashMap<>();
        root.path("settings")
                .fields()
                .forEachRemaining(entry -> concerns.put(
                        entry.getKey(),
                        new Concern(
                                entry.getKey(),
                                texts(entry.getValue().path("required")),
                                texts(entry.getValue().path("optional")))));
        Map<String, Spec> functions = new LinkedHashMap<>();
        for (JsonNode f : root.path("functions")) {
            Spec spec = new Spec(
                    f.path("name").asText(),
                    f.path("description").asText(),
                    f.path("bodyLimitKiB").asInt() * 1024,
                    f.path("memorySize").asInt(),
                    f.path("timeout").asInt(),
                    texts(f.path("uses")));
            if (spec.bodyLimitBytes() <= 0) {
                throw new IllegalStateException(spec.name() + " declares no bodyLimitKiB");
            }
            for (String concern : spec.uses()) {
                if (!concerns.containsKey(concern)) {
                    throw new IllegalStateException(spec.name() + " uses the undeclared concern " + concern);
                }
            }
            functions.put(spec.name(), spec);
        }
        return new FunctionSpecs(Map.copyOf(concerns), Map.copyOf(functions));
    }

    /** The concerns a deployment serving {@code route} uses; every concern when no route is set (local runs). */
    public Set<String> concernsOf(Optional<String> route) {
        if (route.isEmpty()) {
            return new TreeSet<>(concerns.keySet());
        }
        Spec spec = functions.get(route.get());
        if (spec == null) {
            throw new ConfigurationException(
                    "FUNCTION_ROUTE",
                    "'" + route.get() + "' is not a function of this artifact; expected one of "
                            + new TreeSet<>(functions.keySet()));
        }
        return new LinkedHashSet<>(spec.uses());
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return List.copyOf(values);
    }
}
