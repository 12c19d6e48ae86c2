package dev.sluice.provider.gemini;

import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderFactory;
import dev.sluice.provider.ProviderParts;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.tokens.TokenCounter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Creates providers for the {@code gemini} protocol (Google's Gemini API). */
@ApplicationScoped
public class GeminiProviderFactory extends ProviderFactory {

    public static final String KIND = "gemini";
    /** The built-in provider name whose conventional variables are Google's own. */
    static final String PRESET = "gemini";

    /** Counts embeddings' input, which Gemini's API does not report. */
    @Inject
    TokenCounter tokens;

    public GeminiProviderFactory() {
        super(KIND);
    }

    @Override
    public Provider create(ProviderSettings settings, ProviderParts parts) {
        return new GeminiProvider(settings, parts, GeminiOptions.from(settings), tokens);
    }

    @Override
    public String apiKeyVariable(String provider) {
        return PRESET.equals(provider) ? "GEMINI_API_KEY (or GOOGLE_API_KEY)" : super.apiKeyVariable(provider);
    }
}
