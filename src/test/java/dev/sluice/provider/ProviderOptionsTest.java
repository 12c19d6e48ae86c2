package dev.sluice.provider;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Per-effort settings over an adapter's defaults, as the Gemini and Bedrock options read them. */
class ProviderOptionsTest {

    private static ProviderOptions options(Map<String, String> options) {
        return new ProviderOptions(new ProviderSettings("gemini-eu", "gemini", "https://example.com",
                Optional.of("key-123456"), Map.of(), List.of(), Duration.ofSeconds(30), options));
    }

    @Test
    void aConfiguredEffortOverridesItsDefaultAndKeepsTheOthers() {
        Map<String, Integer> defaults = new LinkedHashMap<>();
        defaults.put("low", 1024);
        defaults.put("high", 8192);
        ProviderOptions options = options(Map.of("thinking-budget.high", "20000"));
        assertEquals(Map.of("low", 1024, "high", 20000),
                options.perEffort("thinking-budget", defaults, options.keyedIntegers("thinking-budget")));
    }

    @Test
    void anUnknownEffortStopsStartUpNamingTheProperty() {
        ProviderOptions options = options(Map.of("thinking-budget.huge", "5"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> options.perEffort(
                "thinking-budget", Map.of("low", 1024), options.keyedIntegers("thinking-budget")));
        assertEquals("sluice.providers.gemini-eu.options.thinking-budget.huge: unknown effort; use one of [low]",
                e.getMessage());
    }
}
