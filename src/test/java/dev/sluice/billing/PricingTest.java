package dev.sluice.billing;

import dev.sluice.money.Price;
import dev.sluice.money.Usage;
import dev.sluice.money.Money;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.restassured.http.ContentType;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderRegistry;
import dev.sluice.provider.ResolvedModel;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The price table, its overrides, and integer micro-dollar arithmetic. */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class PricingTest {

    @Inject
    PriceTable prices;
    @Inject
    ProviderRegistry providers;

    @Test
    void everyBuiltInProviderHasPricesInTheDatedTable() {
        for (String model : new String[] {"openai/gpt-4o", "anthropic/claude-sonnet-4-5", "gemini/gemini-2.5-flash",
                "deepseek/deepseek-chat", "groq/llama-3.1-8b-instant", "mistral/mistral-large-latest", "xai/grok-4",
                "openrouter/openai/gpt-4o", "together/meta-llama/Llama-3.3-70B-Instruct-Turbo",
                "fireworks/accounts/fireworks/models/llama-v3p1-8b-instruct"}) {
            int slash = model.indexOf('/');
            assertTrue(prices.find(model.substring(0, slash), model.substring(slash + 1)).isPresent(), model);
        }
        assertTrue(prices.asOf().matches("\\d{4}-\\d{2}-\\d{2}"), prices.asOf());
    }

    /**
     * Every provider the bundled configuration defines has prices: the test fails when a built-in provider is
     * added without them. Each is checked with one of its common models, through the provider as configured.
     */
    @Test
    void everyBuiltInProviderOfTheBundledConfigurationIsPriced() throws Exception {
        Map<String, String> sample = new TreeMap<>(Map.ofEntries(
                Map.entry("openai", "gpt-4.1-mini"), Map.entry("deepseek", "deepseek-reasoner"),
                Map.entry("groq", "llama-3.3-70b-versatile"), Map.entry("mistral", "mistral-small-latest"),
                Map.entry("xai", "grok-3-mini"), Map.entry("openrouter", "anthropic/claude-sonnet-4.5"),
                Map.entry("together", "deepseek-ai/DeepSeek-R1"),
                Map.entry("fireworks", "accounts/fireworks/models/deepseek-r1"), Map.entry("ollama", "llama3.2"),
                Map.entry("vllm", "Qwen/Qwen3-8B"), Map.entry("anthropic", "claude-haiku-4-5-20251001"),
                Map.entry("azure", "gpt-4o-mini"), Map.entry("gemini", "gemini-2.5-pro"),
                Map.entry("bedrock", "us.anthropic.claude-sonnet-4-20250514-v1:0")));
        Properties bundled = new Properties();
        try (InputStream in = PricingTest.class.getClassLoader().getResourceAsStream("application.properties")) {
            bundled.load(in);
        }
        Set<String> builtIn = new TreeSet<>();
        for (String name : bundled.stringPropertyNames()) {
            if (name.startsWith("sluice.providers.")) {
                builtIn.add(name.substring("sluice.providers.".length(), name.indexOf('.', "sluice.providers.".length())));
            }
        }
        assertEquals(builtIn, sample.keySet(), "a sample model for every built-in provider");
        sample.forEach((provider, model) ->
                assertTrue(prices.find(provider, model).isPresent(), provider + "/" + model + " has a price"));
    }

    @Test
    void azureModelsCostWhatOpenAisSameModelsCostUnderAnyProviderName() {
        for (String model : new String[] {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-5", "o4-mini",
                "text-embedding-3-small"}) {
            assertEquals(prices.find("openai", model).orElseThrow().inputPerMillion(),
                    prices.find("azure", model).orElseThrow().inputPerMillion(), model);
            assertEquals(prices.find("openai", model).orElseThrow().outputPerMillion(),
                    prices.find("azure", model).orElseThrow().outputPerMillion(), model);
        }
        assertEquals(2_500_000, prices.find("azure", "gpt-4o-2024-08-06").orElseThrow().inputPerMillion());
        assertEquals(500_000, prices.find("azure", "gpt-35-turbo").orElseThrow().inputPerMillion(),
                "Azure's own name for GPT-3.5 Turbo");
        // a second Azure resource configured under another name finds the same prices through its kind
        Provider secondResource = providers.get("azure-v1").orElseThrow();
        assertEquals("azure", secondResource.kind());
        Price p = prices.find(new ResolvedModel("azure-v1/gpt-4.1-mini", secondResource, "gpt-4.1-mini")).orElseThrow();
        assertEquals(400_000, p.inputPerMillion());
        assertEquals(1_600_000, p.outputPerMillion());
    }

    @Test
    void bedrockModelIdsFindTheirPriceWhateverTheirProfilePrefixAndVersionSuffix() {
        Price sonnet4 = prices.find("bedrock", "anthropic.claude-sonnet-4-20250514-v1:0").orElseThrow();
        assertEquals(3_000_000, sonnet4.inputPerMillion());
        assertEquals(3_750_000, sonnet4.cacheWritePerMillion());
        for (String id : new String[] {"us.anthropic.claude-sonnet-4-20250514-v1:0",
                "eu.anthropic.claude-sonnet-4-20250514-v1:0", "apac.anthropic.claude-sonnet-4-20250514-v1:0",
                "global.anthropic.claude-sonnet-4-20250514-v1:0",
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0"}) {
            assertEquals(sonnet4, prices.find("bedrock", id).orElseThrow(), id);
        }
        // Claude 4.5: the global profile costs the base price, geo-specific profiles 10% more
        assertEquals(3_000_000, prices.find("bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0")
                .orElseThrow().inputPerMillion());
        assertEquals(3_000_000, prices.find("bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0")
                .orElseThrow().inputPerMillion());
        assertEquals(3_300_000, prices.find("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
                .orElseThrow().inputPerMillion());
        assertEquals(1_100_000, prices.find("bedrock", "eu.anthropic.claude-haiku-4-5-20251001-v1:0")
                .orElseThrow().inputPerMillion());
        // other vendors: version suffixes -v1:0, -v0:2 and :0
        assertEquals(720_000, prices.find("bedrock", "us.meta.llama3-3-70b-instruct-v1:0").orElseThrow().inputPerMillion());
        assertEquals(800_000, prices.find("bedrock", "us.amazon.nova-pro-v1:0").orElseThrow().inputPerMillion());
        assertEquals(35_000, prices.find("bedrock", "amazon.nova-micro-v1:0").orElseThrow().inputPerMillion());
        assertEquals(150_000, prices.find("bedrock", "mistral.mistral-7b-instruct-v0:2").orElseThrow().inputPerMillion());
        assertEquals(4_000_000, prices.find("bedrock", "mistral.mistral-large-2402-v1:0").orElseThrow().inputPerMillion());
        assertEquals(250_000, prices.find("bedrock", "anthropic.claude-3-haiku-20240307-v1:0").orElseThrow()
                .inputPerMillion());
        // Titan embeddings v1 and v2 differ: the ":0" suffix goes before the version does
        assertEquals(20_000, prices.find("bedrock", "amazon.titan-embed-text-v2:0").orElseThrow().inputPerMillion());
        assertEquals(100_000, prices.find("bedrock", "amazon.titan-embed-text-v1").orElseThrow().inputPerMillion());
        assertTrue(prices.find("bedrock", "us.vendor.unknown-model-v1:0").isEmpty());
    }

    @Test
    void aPrepaidKeyCanUseAzureAndBedrockModelsOutOfTheBox() {
        MockUpstream.reset();
        VirtualKeys.Key key = VirtualKeys.withCredit("cloud-models", "1");
        // both mocks report 9 prompt and 2 completion tokens
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                .body("{\"model\":\"azure/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-sluice-cost-usd", "0.000043"); // 9 x 2.50 + 2 x 10.00 = 42.5
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                .body("{\"model\":\"bedrock/us.anthropic.claude-3-haiku-20240307-v1:0\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-sluice-cost-usd", "0.000005"); // 9 x 0.25 + 2 x 1.25 = 4.75
    }

    @Test
    void theTableKnowsHowMuchOutputModelsAccept() {
        assertEquals(16_384, prices.find("openai", "gpt-4o").orElseThrow().maxOutputTokens());
        assertEquals(16_384, prices.find("azure", "gpt-4o-2024-11-20").orElseThrow().maxOutputTokens());
        assertEquals(4_096, prices.find("anthropic", "claude-3-haiku-20240307").orElseThrow().maxOutputTokens());
        assertEquals(8_192, prices.find("deepseek", "deepseek-chat").orElseThrow().maxOutputTokens());
        assertEquals(2_048, prices.find("bedrock", "meta.llama3-1-8b-instruct-v1:0").orElseThrow().maxOutputTokens());
        assertEquals(0, prices.find("billed", "m").orElseThrow().maxOutputTokens(), "not known: not configured");
    }

    @Test
    void theWorstCasePricesThePromptAtTheDearerOfInputAndCacheWrite() {
        Price claude = new Price(3_000_000, 15_000_000, 300_000, 3_750_000, "test");
        // 1000 prompt tokens all written to the cache at $3.75/M, 100 output at $15/M
        assertEquals(3750 + 1500, claude.worstCase(1000, 100));
        // the largest output $0.01 covers after that prompt: (10000 - 3750) / 15 = 416 tokens
        assertEquals(416, claude.outputCovered(1000, 10_000, 32_768));
        assertEquals(32_768, claude.outputCovered(1000, 1_000_000_000_000L, 32_768), "at most the cap");
        assertEquals(-1, claude.outputCovered(1000, 3_000, 32_768), "the prompt alone is not covered");
        Price free = new Price(0, 0, 0, 0, "local");
        assertEquals(32_768, free.outputCovered(50_000, 0, 32_768));
    }

    @Test
    void datedModelNamesFindTheirFamilysPrice() {
        Price p = prices.find("openai", "gpt-4o-2024-08-06").orElseThrow();
        assertEquals(2_500_000, p.inputPerMillion());
        assertEquals(10_000_000, p.outputPerMillion());
        assertEquals(1_250_000, p.cachedInputPerMillion());
        assertTrue(prices.find("anthropic", "claude-3-5-haiku-20241022").isPresent());
    }

    @Test
    void configuredPricesOverrideTheTableAndAbsentOnesAreAbsent() {
        assertEquals(1_000_000, prices.find("billed", "anything").orElseThrow().inputPerMillion());
        assertEquals(0, prices.find("ollama", "llama3").orElseThrow().outputPerMillion());
        assertTrue(prices.find("slowpoke", "x").isEmpty(), "no price is never a silent 0");
        assertTrue(prices.find("openai", "gpt-unknown").isEmpty());
    }

    @Test
    void costsAreExactAndRoundedUpOnceToTheMicroDollar() {
        Price gpt4o = new Price(2_500_000, 10_000_000, 1_250_000, 2_500_000, "test");
        // 1000 prompt (400 cached) + 200 completion = 600*2.5 + 400*1.25 + 200*10 = 4000 micro-dollars
        assertEquals(4000, gpt4o.cost(new Usage(1000, 200, 400, 0, 0)));
        // 1 prompt token at $2.50 per million is 2.5 micro-dollars: charged 3, never 2
        assertEquals(3, gpt4o.cost(new Usage(1, 0, 0, 0, 0)));
        assertEquals(0, gpt4o.cost(Usage.NONE));
        Price claude = new Price(3_000_000, 15_000_000, 300_000, 3_750_000, "test");
        // 10000 prompt of which 2000 cache reads and 1000 cache writes, 500 output
        assertEquals(7000 * 3 + 2000 * 3 / 10 + 1000 * 3750 / 1000 + 500 * 15, claude.cost(new Usage(10000, 500, 2000, 1000, 0)));
    }

    @Test
    void dollarsConvertExactlyOrNotAtAll() {
        assertEquals(2_500_000, Money.micros(new BigDecimal("2.50")));
        assertEquals(1, Money.micros(new BigDecimal("0.000001")));
        assertThrows(ArithmeticException.class, () -> Money.micros(new BigDecimal("0.0000001")));
        assertEquals("0.000043", Money.usdText(43));
        assertEquals("-1.500000", Money.usdText(-1_500_000));
    }

    @Test
    void resetDurationsUseOpenAisFormat() {
        assertEquals("20ms", RateLimitHeaders.duration(20));
        assertEquals("1.5s", RateLimitHeaders.duration(1500));
        assertEquals("6m0s", RateLimitHeaders.duration(360_000));
        assertEquals("1m0.5s", RateLimitHeaders.duration(60_500));
    }
}
