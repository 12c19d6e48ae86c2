package dev.sluice.billing;

import dev.sluice.money.Price;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The output a chat request of a prepaid key may produce, which Sluice enforces on the upstream request so that
 * the reservation made for it really is its worst case (a provider that is not told a maximum writes as much as
 * it likes).
 *
 * <ul>
 *   <li>The client set a maximum ({@code max_completion_tokens} or {@code max_tokens}): that, per choice, at most
 *       {@code sluice.billing.reserve.max-output-tokens}; a larger value is lowered to it in the upstream
 *       request.</li>
 *   <li>The client set none: Sluice sets one, as large as the key's available balance covers after the prompt,
 *       at most {@code max-output-tokens} and at most what the model accepts (the catalog's
 *       {@code max_output}); when the balance cannot cover {@code min-output-tokens} after the prompt, the request
 *       is refused. The field is the one the client would use with that provider: {@code max_completion_tokens}
 *       for OpenAI and Azure OpenAI (whose reasoning models refuse {@code max_tokens}), {@code max_tokens}
 *       otherwise; native adapters translate either.</li>
 * </ul>
 * Every figure is per choice; {@code n} choices multiply it.
 */
final class OutputCap {

    static final String MAX_TOKENS = "max_tokens";
    static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";

    private final Integer clientMax;
    private final int choices;
    private final long cap;
    private final long minimum;

    private OutputCap(Integer clientMax, int choices, long cap, long minimum) {
        this.clientMax = clientMax;
        this.choices = choices;
        this.cap = cap;
        this.minimum = minimum;
    }

    static OutputCap of(JsonNode body, Price price, BillingConfig.Reserve reserve) {
        return of(clientMax(body), choices(body), price, reserve);
    }

    /** The cap for one target's price, from what the client asked (read once, before Sluice edits the body). */
    static OutputCap of(Integer clientMax, int choices, Price price, BillingConfig.Reserve reserve) {
        long cap = reserve.maxOutputTokens();
        if (clientMax == null && price != null && price.maxOutputTokens() > 0) {
            cap = Math.min(cap, price.maxOutputTokens());
        }
        return new OutputCap(clientMax, choices, cap, Math.max(1, Math.min(reserve.minOutputTokens(), cap)));
    }

    /** The number of choices the request asks for. */
    static int choices(JsonNode body) {
        return Math.max(1, body.path("n").asInt(1));
    }

    /** The client's own maximum per choice, whichever field carried it; null when it set none. */
    static Integer clientMax(JsonNode body) {
        for (String field : new String[] {MAX_COMPLETION_TOKENS, MAX_TOKENS}) {
            JsonNode v = body.get(field);
            if (v != null && v.canConvertToInt() && v.asInt() > 0) {
                return v.asInt();
            }
        }
        return null;
    }

    /** Whether the output depends on the balance (the client set no maximum). */
    boolean flexible() {
        return clientMax == null;
    }

    /** Output tokens of every choice together, at most. */
    long mostTokens() {
        return (clientMax == null ? cap : Math.min(clientMax, cap)) * choices;
    }

    /** Output tokens of every choice together that the request needs at least to go ahead. */
    long leastTokens() {
        return clientMax == null ? minimum * choices : mostTokens();
    }

    /** Output tokens counted against a tpm limit up front (corrected to the real usage when the request ends). */
    long expectedTokens(int defaultOutputTokens) {
        return clientMax == null ? Math.min(defaultOutputTokens, cap) * choices : mostTokens();
    }

    /** Output tokens per choice that {@code outputTokens} (for every choice together) allows. */
    long perChoice(long outputTokens) {
        return Math.max(clientMax == null ? minimum : 1, Math.min(cap, outputTokens / choices));
    }

    /**
     * Writes the cap on the upstream request: lowers a client maximum above it, or sets the maximum the reserved
     * amount covers when the client gave none.
     *
     * @param perChoice   the maximum per choice to set when the client gave none
     * @param openAiField whether the provider takes {@code max_completion_tokens}
     */
    void apply(ObjectNode body, long perChoice, boolean openAiField) {
        if (clientMax == null) {
            // an earlier attempt on another provider may have set the other field: only one may remain
            body.remove(openAiField ? MAX_TOKENS : MAX_COMPLETION_TOKENS);
            body.put(openAiField ? MAX_COMPLETION_TOKENS : MAX_TOKENS, perChoice);
            return;
        }
        for (String field : new String[] {MAX_COMPLETION_TOKENS, MAX_TOKENS}) {
            JsonNode v = body.get(field);
            if (v != null && v.canConvertToLong() && v.asLong() > cap) {
                body.put(field, cap);
            }
        }
    }

    /** Whether {@link #apply} would change the request (so that an untouched body keeps its original bytes). */
    boolean changes(JsonNode body) {
        if (clientMax == null) {
            return true;
        }
        for (String field : new String[] {MAX_COMPLETION_TOKENS, MAX_TOKENS}) {
            JsonNode v = body.get(field);
            if (v != null && v.canConvertToLong() && v.asLong() > cap) {
                return true;
            }
        }
        return false;
    }
}
