package dev.sluice.api.messages;

import dev.sluice.anthropic.AnthropicWire;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;

import static dev.sluice.anthropic.AnthropicWire.API_ERROR;
import static dev.sluice.anthropic.AnthropicWire.AUTHENTICATION_ERROR;
import static dev.sluice.anthropic.AnthropicWire.INVALID_REQUEST_ERROR;
import static dev.sluice.anthropic.AnthropicWire.NOT_FOUND_ERROR;
import static dev.sluice.anthropic.AnthropicWire.OVERLOADED_ERROR;
import static dev.sluice.anthropic.AnthropicWire.PERMISSION_ERROR;
import static dev.sluice.anthropic.AnthropicWire.RATE_LIMIT_ERROR;
import static dev.sluice.anthropic.AnthropicWire.REQUEST_TOO_LARGE;

/**
 * Sluice's failures in Anthropic's error shape, {@code {"type": "error", "error": {"type", "message"}, "request_id"}},
 * the error type chosen by status as Anthropic does (so that the Anthropic SDKs raise their matching exception).
 * The status, the message and the headers (Retry-After...) are the failure's own.
 */
final class MessagesErrors {

    private MessagesErrors() {
    }

    /** Anthropic's error type for a status. */
    static String type(int status) {
        return switch (status) {
            case 400, 405, 409, 415, 422 -> INVALID_REQUEST_ERROR;
            case 401 -> AUTHENTICATION_ERROR;
            case 402, 403 -> PERMISSION_ERROR;
            case 404 -> NOT_FOUND_ERROR;
            case 413 -> REQUEST_TOO_LARGE;
            case 429 -> RATE_LIMIT_ERROR;
            case 503, 529 -> OVERLOADED_ERROR;
            default -> status >= 500 ? API_ERROR : INVALID_REQUEST_ERROR;
        };
    }

    /** The error body; {@code requestId} is left out when null (inside a stream, whose headers carry it). */
    static ObjectNode body(ApiException failure, String requestId, ObjectMapper mapper) {
        ObjectNode body = mapper.createObjectNode().put("type", AnthropicWire.ERROR);
        body.putObject("error").put("type", type(failure.status())).put("message", failure.getMessage());
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        return body;
    }
}
