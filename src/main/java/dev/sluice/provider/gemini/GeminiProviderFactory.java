package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.SluiceConfig;
import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderFactory;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.RemoteImages;
import dev.sluice.provider.UpstreamHttp;
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
    UpstreamHttp http;
    @Inject
    ObjectMapper mapper;
    @Inject
    SluiceConfig config;
    @Inject
    RemoteImages images;
    @Inject
    TokenCounter tokens;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Provider create(ProviderSettings settings) {
        GeminiOptions options = GeminiOptions.from(settings);
        return new GeminiProvider(settings, http, mapper, config.upstream().streamIdleTimeout(), options,
                images.fetcher(settings.name(), options.imageMaxBytes(), options.imageTimeout()), tokens);
    }

    @Override
    public String apiKeyVariable(String provider) {
        return PRESET.equals(provider) ? "GEMINI_API_KEY (or GOOGLE_API_KEY)"
                : ProviderFactory.super.apiKeyVariable(provider);
    }
}
