package dev.sluice.provider;

import dev.sluice.openai.ApiException;

/**
 * The 400 a translating adapter answers when a request asks for something its provider cannot do. One wording
 * everywhere: which provider, which field, and why, so that a client knows what to change rather than receiving
 * an answer that silently ignored part of its request.
 */
public final class Unsupported {

    public static final String CODE = "unsupported_parameter";

    private Unsupported() {
    }

    /**
     * @param provider the configured provider name
     * @param param    the request field, in OpenAI's param notation ({@code n}, {@code messages[1].content[0]})
     * @param reason   what the provider cannot do, e.g. "Anthropic returns a single choice"
     */
    public static ApiException parameter(String provider, String param, String reason) {
        return ApiException.invalidRequest("Provider '" + provider + "' cannot honour '" + param + "': " + reason,
                param, CODE);
    }

    /** An operation the provider's API does not offer at all (e.g. embeddings). */
    public static ApiException operation(String provider, String operation, String reason) {
        return ApiException.invalidRequest("Provider '" + provider + "' does not offer " + operation + ": " + reason,
                "model", "unsupported_operation");
    }
}
