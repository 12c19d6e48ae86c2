package dev.sluice.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Exchange;
import dev.sluice.provider.ProviderRegistry;
import dev.sluice.provider.ResolvedModel;
import dev.sluice.provider.Tokenizer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * Estimates a request's prompt tokens before it is sent (for the balance reservation and the tpm limits of keys
 * and deployments), and the tokens of a stream's relayed text when the provider reported no usage (an aborted
 * stream).
 *
 * <p>Text is counted by {@link TokenCounter}: exactly for OpenAI models, and for other families as a calibrated
 * estimate that is never below what the family's own tokenizer counts. Messages add OpenAI's per-message
 * overhead; images count {@code sluice.billing.reserve.image-tokens} each. A text longer than
 * {@value #EXACT_LIMIT} characters is bounded by one token per {@value #BYTES_PER_TOKEN_BOUND} UTF-8 bytes
 * instead, so that tokenizing never holds the event loop for long: no tokenizer of the calibration set comes
 * near it (the highest measured is 0.49 tokens per byte, Llama 2 on a product listing).
 */
@ApplicationScoped
public class TokenEstimator {

    static final int EXACT_LIMIT = 64 * 1024;
    static final int BYTES_PER_TOKEN_BOUND = 2;
    private static final int PER_MESSAGE = 4;
    private static final int PER_REPLY = 3;

    private final TokenCounter counter;
    private final int imageTokens;

    @Inject
    public TokenEstimator(TokenCounter counter,
                          @ConfigProperty(name = "sluice.billing.reserve.image-tokens", defaultValue = "1500")
                          int imageTokens) {
        this.counter = counter;
        this.imageTokens = imageTokens;
    }

    /**
     * Loads the vocabulary most requests need in the background at start-up rather than on the first request:
     * o200k, which OpenAI's current models and the estimates for most other families use. Each vocabulary takes
     * some 20 to 40 MB of heap, so the others (cl100k, for Claude's estimate and older OpenAI models) load when a
     * request first needs them.
     */
    void warm(@Observes StartupEvent event, ProviderRegistry providers) {
        if (providers.all().iterator().hasNext()) {
            Infrastructure.getDefaultWorkerPool().execute(() -> counter.count("warm", Tokenizer.OPENAI, "gpt-4o"));
        }
    }

    /** Prompt tokens of a chat or embeddings request, for the served model. */
    public long prompt(Exchange exchange) {
        return estimate(exchange, exchange.target()).tokens();
    }

    /**
     * Prompt tokens of a chat or embeddings request for one target (the tokenizer depends on the model), with the
     * parts whose size cannot be known before the provider reads them.
     */
    public PromptEstimate estimate(Exchange exchange, ResolvedModel target) {
        Model model = Model.of(target);
        if (exchange.operation() == Exchange.Operation.EMBEDDINGS) {
            JsonNode input = exchange.embeddings().body().path("input");
            long total = 0;
            if (input.isArray()) {
                for (JsonNode item : input) {
                    total += item.isArray() ? item.size() : text(item.asText(""), model);
                }
            } else {
                total = text(input.asText(""), model);
            }
            return new PromptEstimate(total, List.of());
        }
        JsonNode body = exchange.chat().body();
        long total = PER_REPLY;
        List<PromptEstimate.Unbounded> unbounded = new ArrayList<>(0);
        JsonNode messages = body.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            total += PER_MESSAGE + content(m.path("content"), model, "messages[" + i + "].content", unbounded);
            if (m.hasNonNull("name")) {
                total += text(m.get("name").asText(), model);
            }
            JsonNode calls = m.path("tool_calls");
            if (calls.isArray() && !calls.isEmpty()) {
                total += text(calls.toString(), model);
            }
            JsonNode call = m.path("function_call");
            if (call.isObject()) {
                total += text(call.toString(), model);
            }
        }
        for (String field : new String[] {"tools", "functions"}) {
            JsonNode tools = body.path(field);
            if (tools.isArray() && !tools.isEmpty()) {
                total += text(tools.toString(), model);
            }
        }
        JsonNode format = body.path("response_format");
        if (format.isObject()) {
            total += text(format.toString(), model);
        }
        return new PromptEstimate(total, unbounded.isEmpty() ? List.of() : List.copyOf(unbounded));
    }

    /** Tokens of generated text, for the served model. */
    public long completion(String text, ResolvedModel target) {
        return text(text, Model.of(target));
    }

    private long content(JsonNode content, Model model, String param, List<PromptEstimate.Unbounded> unbounded) {
        if (content.isTextual()) {
            return text(content.asText(), model);
        }
        long total = 0;
        if (content.isArray()) {
            for (int i = 0; i < content.size(); i++) {
                JsonNode part = content.get(i);
                String type = part.path("type").asText("");
                PromptEstimate.Kind kind;
                long counted;
                if (type.equals("text") || part.has("text") && !part.has("image_url")) {
                    kind = null;
                    counted = text(part.path("text").asText(""), model);
                } else if (type.startsWith("image") || part.has("image_url")) {
                    JsonNode image = part.path("image_url");
                    String url = image.isTextual() ? image.asText() : image.path("url").asText("");
                    kind = ContentParts.remoteKind(url);
                    // an inline image counts like any image; inline video or audio is bounded by its size
                    counted = kind == null && url.regionMatches(true, 0, "data:", 0, 5)
                            && !url.regionMatches(true, 5, "image/", 0, 6) ? bound(url) : imageTokens;
                } else {
                    kind = ContentParts.otherKind(type, part);
                    // audio, files...: bounded by their encoded size
                    counted = bound(part.toString());
                }
                total += counted;
                if (kind != null) {
                    unbounded.add(new PromptEstimate.Unbounded(param + "[" + i + "]", kind, counted));
                }
            }
        }
        return total;
    }

    long text(String s, Model model) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        if (s.length() > EXACT_LIMIT) {
            return bound(s);
        }
        return counter.count(s, model.tokenizer, model.name);
    }

    /** An upper bound of any tokenizer's count: one token per {@value #BYTES_PER_TOKEN_BOUND} UTF-8 bytes. */
    static long bound(String s) {
        long bytes = utf8Length(s);
        return (bytes + BYTES_PER_TOKEN_BOUND - 1) / BYTES_PER_TOKEN_BOUND;
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The provider's tokenizer and the upstream model that decide how text is counted. */
    record Model(Tokenizer tokenizer, String name) {
        static final Model UNKNOWN = new Model(Tokenizer.BY_MODEL_NAME, "");

        static Model of(ResolvedModel target) {
            return target == null ? UNKNOWN : new Model(target.provider().profile().tokenizer(), target.model());
        }
    }
}
