package dev.sluice.extract;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;
import java.util.Set;

/**
 * The application with {@link ObservedExtractor} in place of the extractor, and a short retrieval deadline
 * ({@code sluice.rag.timeout} = 1500 ms) so that pages running over it can be tested quickly.
 */
public class ObservedExtractionProfile implements QuarkusTestProfile {

    public static final long RAG_DEADLINE_MS = 1500;

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(ObservedExtractor.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("sluice.rag.timeout", RAG_DEADLINE_MS + "ms");
    }
}
