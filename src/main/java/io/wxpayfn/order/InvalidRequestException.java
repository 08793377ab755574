package io.wxpayfn.order;

/** Thrown when a request field is missing, of the wrong type or out of range; the message names the field. */
public class InvalidRequestException extends PaymentException {

    private final String field;

    public InvalidRequestException(String field, String problem) {
        super(Kind.INVALID_REQUEST, field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
