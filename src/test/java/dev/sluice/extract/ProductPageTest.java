package dev.sluice.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a reader of a product page comes for (name, price, description, specifications) and what they do not. */
class ProductPageTest {

    private final ContentExtractor extractor = new ContentExtractor();

    private ExtractedPage text(String html, String url) {
        return extractor.extract(html, url, ExtractOptions.text());
    }

    private static final String HEAD = """
            <html><head><title>Steel kettle 1.7 l</title>
            <script type="application/ld+json">{"@type": "Product", "name": "Steel kettle 1.7 l"}</script>
            </head><body>""";

    @Test
    void aProductPageKeepsItsFeaturesAndDropsTheirFinePrint() {
        String html = HEAD + """
                <div class="pg">
                <h1>Steel kettle 1.7 l</h1><div class="price">$49.00</div>
                <section class="feature">
                  <h2>Boils in four minutes</h2>
                  <p>A concealed 2200 W element brings a full jug to the boil in under four minutes and switches
                     itself off when the water boils or the jug is lifted from its base.</p>
                  <div class="feature__disclaimer"><p>* Boiling time measured with 1.7 l of water at 20 °C in
                     laboratory conditions; actual times vary with the water, the voltage and the altitude.</p></div>
                </section>
                <section class="feature">
                  <h2>Quiet by design</h2>
                  <p>A double wall of brushed steel keeps the outside cool to the touch and the sound of the boil
                     down to a murmur, so an early cup of tea wakes nobody else in the house.</p>
                </section>
                <table><tr><th>Capacity</th><td>1.7 l</td></tr><tr><th>Power</th><td>2200 W</td></tr></table>
                <div id="page-disclaimers"><p>Colours and availability may vary by region and retailer. Images
                   simulated for illustration; the product may differ from the pictures shown.</p></div>
                </div></body></html>""";

        ExtractedPage page = text(html, "https://shop.example.com/p/steel-kettle");

        String content = page.content();
        assertEquals(PageType.PRODUCT, page.pageType());
        assertTrue(content.contains("$49.00") && content.contains("concealed 2200 W element"), content);
        assertTrue(content.contains("double wall of brushed steel"), content);
        assertTrue(content.contains("Capacity") && content.contains("1.7 l"), content);
        assertFalse(content.contains("laboratory conditions"), content);
        assertFalse(content.contains("may vary by region"), content);
    }

    @Test
    void aProductPageDropsAProseHeavySidebarOfStoreReviewsBesideTheProduct() {
        StringBuilder reviews = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
            reviews.append("<div class=\"rv\"><b>Customer ").append(i).append("</b><span>").append(i + 1)
                    .append(" weeks ago</span><p>Reviewer ").append(i).append(" says the shop was great to deal with: ")
                    .append("the order arrived two days early, the packing was careful and the staff answered every ")
                    .append("question about the delivery quickly and kindly.</p></div>");
        }
        String html = HEAD + """
                <div id="content-area">
                <div id="left-area">
                  <h1>Steel kettle 1.7 l</h1><div class="price">$49.00</div>
                  <p>A brushed steel kettle that boils a full jug in under four minutes and switches itself off when
                     the water boils or the jug is lifted from its base.</p>
                  <table><tr><th>Capacity</th><td>1.7 l</td></tr><tr><th>Power</th><td>2200 W</td></tr></table>
                </div>
                <div id="sidebar"><h3>What our customers say</h3>""" + reviews + """
                </div></div></body></html>""";

        ExtractedPage page = text(html, "https://shop.example.com/p/steel-kettle");

        String content = page.content();
        assertEquals(PageType.PRODUCT, page.pageType());
        assertTrue(content.contains("$49.00") && content.contains("brushed steel kettle"), content);
        assertTrue(content.contains("Capacity") && content.contains("2200 W"), content);
        assertFalse(content.contains("Reviewer 3 says"), content);
        assertFalse(content.contains("What our customers say"), content);
    }

    @Test
    void aDeclaredProductIsAProductPageEvenUnderAPathThatLooksLikeAForum() {
        // Short paths such as /t/ name threads on some forums and products on some shops: the declaration decides.
        String html = HEAD + """
                <main><h1>Steel kettle 1.7 l</h1><div class="price">$49.00</div>
                <p>A brushed steel kettle that boils a full jug in under four minutes and switches itself off when
                   the water boils or the jug is lifted from its base.</p></main></body></html>""";

        ExtractedPage page = text(html, "https://shop.example.com/t/steel-kettle-1-7-l");

        assertEquals(PageType.PRODUCT, page.pageType());
        assertTrue(page.content().contains("brushed steel kettle"), page.content());
    }
}
