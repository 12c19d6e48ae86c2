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
public class GeminiProviderFactory implements ProviderFactory {

    public static final String KIND = "gemini";
    /** The built-in provider name whose conventional variables are Google's own. */
    static final String PRESET = "gemini";

    @Inject
    ProviderParts parts;
    @Inject
    TokenCounter tokens;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Provider create(ProviderSettings settings) {
        GeminiOptions options = GeminiOptions.from(settings);
        return new GeminiProvider(settings, parts.http(), parts.mapper(), parts.streamIdleTimeout(), options,
                parts.images(settings.name(), options.imageMaxBytes(), options.imageTimeout()), tokens);
    }

    @Override
    public String apiKeyVariable(String provider) {
        return PRESET.equals(provider) ? "GEMINI_API_KEY (or GOOGLE_API_KEY)"
                : ProviderFactory.super.apiKeyVariable(provider);
    }
}
