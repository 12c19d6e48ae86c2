package dev.sluice.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/**
 * Counts tokens the way a model will: exactly for OpenAI models (jtokkit's o200k_base / cl100k_base, the
 * tokenizers OpenAI publishes), and as a calibrated estimate for other providers, whose tokenizers are not
 * public: the o200k count scaled by a per-family factor (Claude's tokenizer yields roughly a fifth more tokens
 * than o200k on English prose and code; Gemini's and the open-weight families' are close to it). Estimates err on
 * the high side, so a budget computed with them is not exceeded.
 *
 * <p>Encodings load lazily (a few MB of ranks) on first use; counting is CPU work for worker threads.
 */
@ApplicationScoped
public class TokenCounter {

    private static final double CLAUDE_FACTOR = 1.20;
    private static final double OTHER_FACTOR = 1.10;

    private volatile EncodingRegistry registry;

    /** Tokens of {@code text} for a model of a provider kind ({@code openai}, {@code anthropic}, ...). */
    public int count(String text, String providerKind, String model) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        String kind = providerKind == null ? "" : providerKind.toLowerCase(Locale.ROOT);
        if (isOpenAiModel(kind, m)) {
            return encoding(usesCl100k(m) ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE).countTokens(text);
        }
        int base = encoding(EncodingType.O200K_BASE).countTokens(text);
        double factor = kind.equals("anthropic") || m.contains("claude") ? CLAUDE_FACTOR : OTHER_FACTOR;
        return (int) Math.ceil(base * factor);
    }

    /** Whether counts for this model are exact rather than estimated. */
    public boolean exact(String providerKind, String model) {
        return isOpenAiModel(providerKind == null ? "" : providerKind.toLowerCase(Locale.ROOT),
                model == null ? "" : model.toLowerCase(Locale.ROOT));
    }

    private static boolean isOpenAiModel(String kind, String model) {
        boolean openAiFamily = model.startsWith("gpt-") || model.startsWith("o1") || model.startsWith("o3")
                || model.startsWith("o4") || model.startsWith("chatgpt-") || model.startsWith("text-embedding-");
        return (kind.equals("openai") || kind.equals("azure")) && openAiFamily;
    }

    private static boolean usesCl100k(String model) {
        return model.startsWith("gpt-4-") || model.equals("gpt-4") || model.startsWith("gpt-3.5")
                || model.startsWith("text-embedding-");
    }

    private Encoding encoding(EncodingType type) {
        EncodingRegistry r = registry;
        if (r == null) {
            synchronized (this) {
                r = registry;
                if (r == null) {
                    r = Encodings.newLazyEncodingRegistry();
                    registry = r;
                }
            }
        }
        return r.getEncoding(type);
    }
}
