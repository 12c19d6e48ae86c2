package dev.sluice.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Asserts OpenAI error objects whole — {@code {"error": {"message", "type", "param", "code"}}} — rather than a
 * fragment of them, so that a changed message, a lost param or a wrong code is noticed.
 */
public final class ErrorAssert {

    private ErrorAssert() {
    }

    /** The error object {@code {"message", "type", "param", "code"}}; {@code param} and {@code code} may be null. */
    public static String error(String message, String type, String param, String code) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("message", message);
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return error.toString();
    }

    /** The body (a response body or a stream's error event) is exactly {@code {"error": expectedError}}. */
    public static void assertError(String expectedError, String body) {
        JsonAssert.assertJson("{\"error\": " + expectedError + "}", body);
    }
}
