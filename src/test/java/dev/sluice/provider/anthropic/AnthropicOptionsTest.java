package dev.sluice.provider.anthropic;

import dev.sluice.provider.ProviderSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Anthropic adapter's settings: defaults, overrides, and start-up errors that name the property. */
class AnthropicOptionsTest {

    private static AnthropicOptions options(Map<String, String> options) {
        return AnthropicOptions.from(new ProviderSettings("anthropic", "anthropic", "https://api.anthropic.com",
                Optional.of("sk-ant-123456"), Map.of(), List.of(), Duration.ofSeconds(30), options));
    }

    @Test
    void defaults() {
        AnthropicOptions defaults = options(Map.of());
        assertEquals("2023-06-01", defaults.version());
        assertEquals(8192, defaults.maxTokens().lookup("claude-3-5-sonnet-latest"));
        assertEquals(16384, defaults.maxTokens().lookup("claude-3-7-sonnet-latest"));
        assertEquals(16384, defaults.maxTokens().lookup("claude-sonnet-4-5"));
        assertEquals(8192, defaults.thinkingBudgets().get("medium"));
        assertEquals(32000, defaults.maxOutput().lookup("claude-opus-4-1-20250805"));
        assertEquals(64000, defaults.maxOutput().lookup("claude-opus-4-5"));
        assertTrue(defaults.jsonToolModels().lookup("claude-sonnet-4-20250514"));
        assertTrue(defaults.jsonToolModels().lookup("claude-3-7-sonnet-latest"));
        assertFalse(defaults.jsonToolModels().lookup("claude-sonnet-4-5-20250929"));
        assertFalse(defaults.jsonToolModels().lookup("claude-opus-4-5"));
        assertFalse(defaults.jsonToolModels().lookup("claude-haiku-4-5"));
    }

    @Test
    void overrides() {
        AnthropicOptions o = options(Map.of("anthropic-version", "2024-01-01", "default-max-tokens", "32000",
                "max-tokens.claude-opus-4", "8000", "max-output-tokens.claude", "100000", "thinking-budget.high", "20000", "json-tool-models", "claude-x"));
        assertEquals("2024-01-01", o.version());
        assertEquals(32000, o.maxTokens().lookup("claude-sonnet-4-5"));
        assertEquals(8000, o.maxTokens().lookup("claude-opus-4-1"));
        assertEquals(20000, o.thinkingBudgets().get("high"));
        assertEquals(100000, o.maxOutput().lookup("claude-sonnet-5"), "a model the catalog does not know");
        assertEquals(32000, o.maxOutput().lookup("claude-opus-4-1"), "the catalog's entry for the model still wins");
        assertEquals(64000, o.maxOutput().lookup("claude-sonnet-4-5"), "the catalog's entry for the model still wins");
        assertTrue(o.jsonToolModels().lookup("claude-x-1"));
        assertFalse(o.jsonToolModels().lookup("claude-3-haiku"));
    }

    @Test
    void badSettingsStopStartUpNamingTheProperty() {
        IllegalStateException low = assertThrows(IllegalStateException.class,
                () -> options(Map.of("thinking-budget.low", "500")));
        assertTrue(low.getMessage().contains("sluice.providers.anthropic.options.thinking-budget.low"), low.getMessage());
        assertThrows(IllegalStateException.class, () -> options(Map.of("thinking-budget.extreme", "5000")));
        assertThrows(IllegalStateException.class, () -> options(Map.of("default-max-tokens", "lots")));
        assertThrows(IllegalStateException.class, () -> options(Map.of("max-tokens.claude-3", "0")));
    }
}
