package dev.sluice.billing;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The price table, its overrides, and integer micro-dollar arithmetic. */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class PricingTest {

    @Inject
    PriceTable prices;

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
        assertEquals("20ms", MeteringInterceptor.duration(20));
        assertEquals("1.5s", MeteringInterceptor.duration(1500));
        assertEquals("6m0s", MeteringInterceptor.duration(360_000));
        assertEquals("1m0.5s", MeteringInterceptor.duration(60_500));
    }
}
