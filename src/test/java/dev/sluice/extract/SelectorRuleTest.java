package dev.sluice.extract;

import dev.sluice.openai.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The selector grammar a caller may use, and the cooperative deadline that stops an extraction's worker. */
class SelectorRuleTest {

    private final ContentExtractor extractor = new ContentExtractor();

    @Test
    void ordinarySelectorsAndLinearRegexesAreAccepted() {
        SelectorRule.check("article .body > p:not(.ad), h1, a[href^=https]", List.of("nav", "p:matches(^Ad:)",
                "div:has(> form)", "[data-x~=^v[0-9]+$]"));
    }

    @Test
    void refusalsNameTheFieldAndSayWhy() {
        ApiException e = assertThrows(ApiException.class, () -> SelectorRule.check("p:matches((a+)+\\1b)", List.of()));
        assertEquals(400, e.status());
        assertEquals("invalid_selector", e.code());
        assertEquals("selector", e.param());
        e = assertThrows(ApiException.class, () -> SelectorRule.check(null, List.of("p", "div:has(p:has(a))")));
        assertEquals("exclude_selectors[1]", e.param());
        assertTrue(e.getMessage().contains(":has"), e.getMessage());
    }

    @Test
    void nestedHasIsToldFromSiblingHas() {
        assertTrue(SelectorRule.nestedHas("div:has(p:is(:has(a)))"));
        assertFalse(SelectorRule.nestedHas("div:has(p):has(a)"));
        assertFalse(SelectorRule.nestedHas("div:not(:has(a))"));
    }

    @Test
    void anExtractionPastItsDeadlineStopsItsOwnWorker() {
        // every element matches and every match is nested in another: on a large page this used to compare each
        // pair of matches; whatever the cost, the worker stops at its deadline instead of running on
        String page = "<html><body>" + "<div><section><p>word word word</p></section></div>".repeat(20_000)
                + "</body></html>";
        long start = System.nanoTime();
        assertThrows(Deadline.Exceeded.class, () -> Deadline.enforce(Deadline.at(System.nanoTime() + 20_000_000L),
                () -> extractor.extract(page, "https://example.com/", ExtractOptions.text().withSelector("*:has(p)"))));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis < 5_000, "stopped soon after its 20 ms deadline, not when done: " + tookMillis + " ms");
    }

    @Test
    void withoutADeadlineTheSameWorkCompletes() {
        ExtractedPage page = extractor.extract("<div><p>one</p></div><div><p>two</p></div>", null,
                ExtractOptions.text().withSelector("*:has(p)"));
        assertTrue(page.content().contains("one") && page.content().contains("two"), page.content());
    }
}
