package dev.sluice.provider.openai;

import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderFactory;
import dev.sluice.provider.ProviderParts;
import dev.sluice.provider.ProviderSettings;
import jakarta.enterprise.context.ApplicationScoped;

/** Creates providers for the {@code openai} protocol (OpenAI and every OpenAI-compatible service). */
@ApplicationScoped
public class OpenAiProviderFactory extends ProviderFactory {

    public static final String KIND = "openai";

    public OpenAiProviderFactory() {
        super(KIND);
    }

    /** Ollama, vLLM and other local OpenAI-compatible servers are configured by host and port. */
    @Override
    public boolean versionsKeylessBaseUrl() {
        return true;
    }

    @Override
    public Provider create(ProviderSettings settings, ProviderParts parts) {
        return new OpenAiProvider(settings, parts, OpenAiDialect.standard(settings));
    }
}
