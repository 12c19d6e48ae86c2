package dev.sluice.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.sluice.pipeline.Exchange;
import dev.sluice.provider.ProviderRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Estimates a request's prompt tokens before it is sent (for the reservation and the tpm limit), and the tokens
 * of a stream's relayed text when the provider reported no usage (an aborted stream).
 *
 * <p>OpenAI models are counted with their real tokenizer ({@code o200k_base}, via jtokkit) plus OpenAI's
 * per-message overhead. Other models get a calibrated estimate: one token per three UTF-8 bytes, which is above
 * what current tokenizers produce for English, code and European languages (about four bytes per token) and close
 * for CJK text (three bytes per character) — an estimate that errs towards reserving a little too much. Texts
 * longer than {@value #EXACT_LIMIT} characters use the estimate too, so that tokenizing never holds the event
 * loop for long.
 */
@ApplicationScoped
public class TokenEstimator {

    static final int EXACT_LIMIT = 64 * 1024;
    static final int BYTES_PER_TOKEN = 3;
    private static final int PER_MESSAGE = 4;
    private static final int PER_REPLY = 3;
    private static final Pattern OPENAI_MODEL = Pattern.compile(
            "(.*/)?(gpt-|o1|o3|o4|chatgpt-|text-embedding-|davinci|babbage|codex-|computer-use).*");

    private final int imageTokens;
    private volatile Encoding o200k;

    @Inject
    public TokenEstimator(BillingConfig config) {
        this.imageTokens = config.reserve().imageTokens();
    }

    /**
     * Loads the vocabulary in the background at start-up rather than on the first request, when OpenAI is
     * configured (otherwise only if an OpenAI model is ever requested through another provider).
     */
    void warm(@Observes StartupEvent event, ProviderRegistry providers) {
        if (providers.get("openai").isPresent()) {
            Infrastructure.getDefaultWorkerPool().execute(this::encoding);
        }
    }

    private Encoding encoding() {
        Encoding e = o200k;
        if (e == null) {
            synchronized (this) {
                if (o200k == null) {
                    long t = System.nanoTime();
                    o200k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
                    Log.debugf("Tokenizer loaded in %d ms", (System.nanoTime() - t) / 1_000_000);
                }
                e = o200k;
            }
        }
        return e;
    }

    /** Whether a model is counted with OpenAI's tokenizer. */
    public static boolean openAiModel(String model) {
        return model != null && OPENAI_MODEL.matcher(model).matches();
    }

    /** Prompt tokens of a chat or embeddings request, for the served model. */
    public long prompt(Exchange exchange) {
        boolean exact = exchange.target() != null && ("openai".equals(exchange.target().provider().name())
                || openAiModel(exchange.target().model()));
        if (exchange.operation() == Exchange.Operation.EMBEDDINGS) {
            JsonNode input = exchange.embeddings().body().path("input");
            long total = 0;
            if (input.isArray()) {
                for (JsonNode item : input) {
                    total += item.isArray() ? item.size() : text(item.asText(""), exact);
                }
            } else {
                total = text(input.asText(""), exact);
            }
            return total;
        }
        JsonNode body = exchange.chat().body();
        long total = PER_REPLY;
        for (JsonNode m : body.path("messages")) {
            total += PER_MESSAGE + content(m.path("content"), exact);
            if (m.hasNonNull("name")) {
                total += text(m.get("name").asText(), exact);
            }
            JsonNode calls = m.path("tool_calls");
            if (calls.isArray() && !calls.isEmpty()) {
                total += text(calls.toString(), exact);
            }
        }
        JsonNode tools = body.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            total += text(tools.toString(), exact);
        }
        JsonNode format = body.path("response_format");
        if (format.isObject()) {
            total += text(format.toString(), exact);
        }
        return total;
    }

    /** Tokens of generated text, for the served model. */
    public long completion(String text, String model, boolean openAiProvider) {
        return text(text, openAiProvider || openAiModel(model));
    }

    private long content(JsonNode content, boolean exact) {
        if (content.isTextual()) {
            return text(content.asText(), exact);
        }
        long total = 0;
        if (content.isArray()) {
            for (JsonNode part : content) {
                String type = part.path("type").asText("");
                if (type.equals("text") || part.has("text")) {
                    total += text(part.path("text").asText(""), exact);
                } else if (type.startsWith("image") || part.has("image_url")) {
                    total += imageTokens;
                } else {
                    // audio, files...: estimated from their encoded size
                    total += calibrated(part.toString());
                }
            }
        }
        return total;
    }

    long text(String s, boolean exact) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        if (exact && s.length() <= EXACT_LIMIT) {
            return encoding().countTokensOrdinary(s);
        }
        return calibrated(s);
    }

    static long calibrated(String s) {
        long bytes = utf8Length(s);
        return (bytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN;
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

    static long bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
