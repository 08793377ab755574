package io.wxpayfn.function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.funqy.runtime.FunctionInvoker;
import io.quarkus.funqy.runtime.FunctionRecorder;
import io.wxpayfn.order.InvalidRequestException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Binds each function's typed input strictly, so a function body receives only a well-typed record; each record's
 * compact constructor checks its fields' ranges and forms ({@link InputFields}), so it is also a valid one.
 * funqy-http's own mapper is lenient (it ignores unknown fields, matches names in any case and coerces "2" to 2) and
 * answers a binding failure with a bare 400 and an ERROR stack trace; so the strict reader built here replaces
 * funqy-http's for every typed input, and {@link RequestRefusals} binds the body with it before funqy-http's route,
 * refusing the first problem with 40001 and the field's path.
 *
 * <p>Rules: names are case-sensitive; an unknown field is refused (a misspelt {@code amount} must not become a full
 * refund); a string is never read as a number, a number never as a string or a boolean, a fraction never as a whole
 * number; a field may appear once; nothing may follow the object. A function whose input is a {@link JsonNode} (the
 * callbacks, which verify the raw bytes) is only checked to be one well-formed JSON value.
 */
@Singleton
public class FunctionInputs {

    private final Map<String, ObjectReader> readersByPath = new HashMap<>();
    private final ObjectReader syntax;

    FunctionInputs(ObjectMapper mapper) {
        this.syntax = mapper.reader()
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        ObjectMapper strict = strict(mapper.copy());
        for (FunctionInvoker function : FunctionRecorder.registry.invokers()) {
            if (function.hasInput() && !JsonNode.class.equals(function.getInputType())) {
                ObjectReader reader = strict.readerFor(strict.constructType(function.getInputType()))
                        .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                        .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
                // funqy-http reads the input with what its binding context holds: the same strict reader.
                function.getBindingContext().put(ObjectReader.class.getName(), reader);
                readersByPath.put("/" + function.getName(), reader);
            }
        }
    }

    @SuppressWarnings("deprecation") // MapperFeature on a built mapper: funqy-http configures its copy the same way
    private static ObjectMapper strict(ObjectMapper mapper) {
        // Each deployment serves one function: the others' deserializers are never built (cold start).
        mapper.configure(DeserializationFeature.EAGER_DESERIALIZER_FETCH, false)
                .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, false)
                .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .configure(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, true)
                .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Enum)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return mapper;
    }

    /** What a well-formed body that the function at {@code path} cannot take is refused for. */
    sealed interface Problem permits Malformed, Refused {}

    /** Not one well-formed JSON value (or a field twice): HTTP 400, like any other unparseable body. */
    record Malformed(String why) implements Problem {

        /** Where the body stopped being JSON, for the log; the caller is told only that it is not. */
        static Malformed of(IOException e) {
            String where = e instanceof JsonProcessingException p && p.getLocation() != null
                    ? " (line " + p.getLocation().getLineNr() + ", column "
                            + p.getLocation().getColumnNr() + ")"
                    : "";
            String duplicate =
                    e.getMessage() != null && e.getMessage().startsWith("Duplicate field") ? ": a field twice" : "";
            return new Malformed("body is not well-formed JSON" + duplicate + where);
        }
    }

    /** Well-formed, but a field is missing, unknown, of the wrong type or out of range: errcode 40001. */
    record Refused(String errmsg) implements Problem {}

    /**
     * Empty when the function at {@code path} takes {@code body}; otherwise why not. The body is parsed first, so that
     * every syntax error (a field twice and trailing tokens included) is told apart from what the binding refuses.
     */
    Optional<Problem> check(String path, byte[] body) {
        ObjectReader reader = readersByPath.get(path);
        if (body.length == 0) {
            return reader == null ? Optional.empty() : Optional.of(new Refused("body: a JSON object is required"));
        }
        JsonNode tree;
        try {
            tree = syntax.readTree(body);
        } catch (IOException e) {
            return Optional.of(Malformed.of(e));
        }
        if (tree.isMissingNode()) {
            return Optional.of(new Malformed("body is blank"));
        }
        if (reader == null) {
            return Optional.empty();
        }
        Object input;
        try {
            input = reader.readValue(tree);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof InvalidRequestException invalid) {
                // Thrown by the record's compact constructor: its message names the field within that record.
                String record = pathOf(e);
                return Optional.of(new Refused(
                        record.equals("body") ? invalid.getMessage() : record + "." + invalid.getMessage()));
            }
            if (e.getCause() instanceof InputCoercionException) {
                return Optional.of(new Refused(pathOf(e) + ": is out of range"));
            }
            return Optional.of(new Refused(pathOf(e) + ": " + expectation(e)));
        } catch (IOException e) {
            return Optional.of(new Refused("body: is not valid here"));
        }
        return input == null ? Optional.of(new Refused("body: a JSON object is required")) : Optional.empty();
    }

    /** {@code items[0].quantity}, or {@code body} for the whole body. */
    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : e.getPath()) {
            if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            } else if (step.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(step.getFieldName());
            }
        }
        return path.length() == 0 ? "body" : path.toString();
    }

    private static String expectation(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "is not a field here; expected one of " + names(unknown.getKnownPropertyIds());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "must be " + describe(mismatch.getTargetType());
        }
        return "is not valid here";
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(String::valueOf)
                            .collect(Collectors.joining(", "));
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "a JSON object";
    }

    private static String names(Collection<?> values) {
        return values.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }
}
