package io.wxpayfn.function;

import io.wxpayfn.order.InvalidRequestException;
import java.util.regex.Pattern;

/**
 * The checks an input record's compact constructor makes of its fields, each refusing with the field's name. They
 * run while {@link FunctionInputs} binds the body, so a function never holds an invalid input. (Bean Validation would
 * say the same in annotations; its bootstrap cost every cold start ~200-300 ms of CPU and 6-8 MiB, measured by
 * scripts/bench-coldstart, for these few checks: README, "Benchmarks".)
 */
final class InputFields {

    static final String REQUIRED = "is required";

    private InputFields() {}

    /** {@code value}, refused when absent. */
    static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidRequestException(field, REQUIRED);
        }
        return value;
    }

    /** {@code value} when absent or of {@code form}; refused as not being {@code expected} otherwise. */
    static String form(String field, String value, Pattern form, String expected) {
        if (value != null && !form.matcher(value).matches()) {
            throw new InvalidRequestException(field, "must be " + expected);
        }
        return value;
    }

    /** {@code value} when absent or within [min, max]. */
    static Integer range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new InvalidRequestException(field, "must be a whole number from " + min + " to " + max);
        }
        return value;
    }

    /** {@code value} when absent or at most {@code maxLength} characters. */
    static String maxLength(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new InvalidRequestException(field, "must be at most " + maxLength + " characters");
        }
        return value;
    }

    /** {@code value} when absent or above zero. */
    static Long positive(String field, Long value, String expected) {
        if (value != null && value <= 0) {
            throw new InvalidRequestException(field, "must be " + expected);
        }
        return value;
    }
}
