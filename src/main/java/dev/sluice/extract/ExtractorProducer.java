package dev.sluice.extract;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the extractor injectable ({@code @Inject ContentExtractor}) for the HTTP layer and the RAG feature. The
 * extractor is stateless and thread-safe, so one instance serves the whole application; it stays a plain class so
 * that benchmarks and tests can simply construct it.
 */
public class ExtractorProducer {

    @Produces
    @Singleton
    ContentExtractor contentExtractor() {
        return new ContentExtractor();
    }
}
