package dev.sluice.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.sluice.provider.Tokenizer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/**
 * Counts tokens the way a model will: exactly for OpenAI models (jtokkit's o200k_base for GPT-4o, GPT-4.1, GPT-5
 * and the o-series, cl100k_base for GPT-4, GPT-3.5 and the embedding models: the tokenizers OpenAI publishes), and
 * as a conservative estimate for other providers: one of those two counts, times a factor per model family.
 *
 * <p>The base and factor of each family were calibrated against the tokenizers the families publish, on the
 * fixture texts of {@code src/test/resources/tokens/calibration} (English prose, a forum thread, Markdown docs,
 * code, a product listing, French, German, Spanish, Russian, Chinese, Japanese), measured by
 * {@code bench/token-calibration} and recorded in {@code calibration.tsv}; {@code TokenCounterTest} checks that
 * every estimate is at least the real count. The base is the encoding against which the family's ratio varies
 * least across languages; the factor sits just above the highest ratio measured:
 * <ul>
 *   <li>Claude: cl100k × 1.20 (highest 1.12 with Anthropic's published tokenizer, that of the models before
 *       Claude 3; later ones are not published, hence the margin);</li>
 *   <li>Gemini and Gemma: o200k × 1.25 (highest 1.20 with the Gemma tokenizers, Gemini's vocabulary);</li>
 *   <li>every other family: o200k × 1.50 (highest 1.46, Llama 2's 32k vocabulary; Llama 3.1, Qwen 3 and
 *       DeepSeek V3 stay under 1.27).</li>
 * </ul>
 * Estimates err on the high side, so a budget computed with them is not exceeded.
 *
 * <p>Encodings load lazily (a few MB of ranks) on first use; counting is CPU work for worker threads.
 */
@ApplicationScoped
public class TokenCounter {

    /** A model family whose tokenizer is estimated: the OpenAI encoding it is measured against and the factor. */
    enum Family {
        CLAUDE(EncodingType.CL100K_BASE, 1.20),
        GEMINI(EncodingType.O200K_BASE, 1.25),
        OTHER(EncodingType.O200K_BASE, 1.50);

        final EncodingType base;
        final double factor;

        Family(EncodingType base, double factor) {
            this.base = base;
            this.factor = factor;
        }
    }

    private volatile EncodingRegistry registry;

    /** Tokens of {@code text} for a model whose provider counts with {@code tokenizer}'s family. */
    public int count(String text, Tokenizer tokenizer, String model) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        Tokenizer t = tokenizer == null ? Tokenizer.BY_MODEL_NAME : tokenizer;
        if (isOpenAiModel(t, m)) {
            return encoding(usesCl100k(m) ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE).countTokens(text);
        }
        Family family = family(t, m);
        return (int) Math.ceil(encoding(family.base).countTokens(text) * family.factor);
    }

    /**
     * Tokens of {@code text} for a model of a provider kind ({@code openai}, {@code anthropic}, ...), for callers
     * that know only the kind; the provider package says which tokenizer a kind uses.
     */
    public int count(String text, String providerKind, String model) {
        return count(text, Tokenizer.ofKind(providerKind == null ? null : providerKind.toLowerCase(Locale.ROOT)),
                model);
    }

    static Family family(Tokenizer tokenizer, String model) {
        if (tokenizer == Tokenizer.CLAUDE || model.contains("claude")) {
            return Family.CLAUDE;
        }
        if (tokenizer == Tokenizer.GEMINI || model.startsWith("gemini") || model.startsWith("gemma")) {
            return Family.GEMINI;
        }
        return Family.OTHER;
    }

    /** Whether counts for this model are exact rather than estimated. */
    public boolean exact(Tokenizer tokenizer, String model) {
        return isOpenAiModel(tokenizer, model == null ? "" : model.toLowerCase(Locale.ROOT));
    }

    private static boolean isOpenAiModel(Tokenizer tokenizer, String model) {
        boolean openAiFamily = model.startsWith("gpt-") || model.startsWith("o1") || model.startsWith("o3")
                || model.startsWith("o4") || model.startsWith("chatgpt-") || model.startsWith("text-embedding-");
        return tokenizer == Tokenizer.OPENAI && openAiFamily;
    }

    private static boolean usesCl100k(String model) {
        // gpt-35-turbo is Azure's spelling of gpt-3.5-turbo
        return model.startsWith("gpt-4-") || model.equals("gpt-4") || model.startsWith("gpt-3.5")
                || model.startsWith("gpt-35") || model.startsWith("text-embedding-");
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
