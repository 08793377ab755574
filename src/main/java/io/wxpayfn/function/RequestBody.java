package io.wxpayfn.function;

import com.fasterxml.jackson.databind.JsonNode;
import io.wxpayfn.order.InvalidRequestException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict reading of a function's JSON input. Funqy's binding is lenient (it coerces types and ignores case), so
 * every field is checked here by name, type, length and form; the first problem is refused naming the field.
 */
final class RequestBody {

    static final Pattern OUT_TRADE_NO = Pattern.compile("[0-9A-Za-z_\\-|*]{6,32}");
    static final Pattern OUT_REFUND_NO = Pattern.compile("[0-9A-Za-z_\\-|*@]{1,64}");
    static final Pattern KEY = Pattern.compile("[0-9A-Za-z_\\-]{8,64}");
    static final Pattern PRODUCT_ID = Pattern.compile("[0-9A-Za-z_\\-.]{1,64}");

    private final JsonNode node;

    private RequestBody(JsonNode node) {
        this.node = node;
    }

    static RequestBody of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new InvalidRequestException("body", "a JSON object is required");
        }
        if (!node.isObject()) {
            throw new InvalidRequestException("body", "must be a JSON object");
        }
        return new RequestBody(node);
    }

    JsonNode node() {
        return node;
    }

    /** The required {@code outTradeNo}, in WeChat Pay's out_trade_no form. */
    String outTradeNo() {
        return requiredText("outTradeNo", OUT_TRADE_NO, "6 to 32 characters of 0-9A-Za-z_-|*");
    }

    String requiredText(String field, Pattern form, String expected) {
        return optionalText(field, form, expected).orElseThrow(() -> new InvalidRequestException(field, "is required"));
    }

    Optional<String> optionalText(String field, Pattern form, String expected) {
        return text(node.get(field), field, form, expected);
    }

    static Optional<String> text(JsonNode value, String field, Pattern form, String expected) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException(field, "must be a string");
        }
        String text = value.textValue();
        if (!form.matcher(text).matches()) {
            throw new InvalidRequestException(field, "must be " + expected);
        }
        return Optional.of(text);
    }

    Optional<String> optionalFreeText(String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException(field, "must be a string");
        }
        if (value.textValue().length() > maxLength) {
            throw new InvalidRequestException(field, "must be at most " + maxLength + " characters");
        }
        return Optional.of(value.textValue());
    }

    Optional<Long> optionalAmount(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() <= 0) {
            throw new InvalidRequestException(field, "must be a positive whole number of fen");
        }
        return Optional.of(value.longValue());
    }

    /** The field as an int within [min, max], or {@code fallback} when it is absent. */
    int optionalInt(String field, int min, int max, int fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw new InvalidRequestException(field, "must be a whole number from " + min + " to " + max);
        }
        return value.intValue();
    }

    static int integer(JsonNode value, String field) {
        if (value == null || value.isNull()) {
            throw new InvalidRequestException(field, "is required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidRequestException(field, "must be a whole number");
        }
        return value.intValue();
    }
}
