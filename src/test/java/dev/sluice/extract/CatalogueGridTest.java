package dev.sluice.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A catalogue page's content is its heading, its intro and every item of its grid; not its facets or rails. */
class CatalogueGridTest {

    private final ContentExtractor extractor = new ContentExtractor();

    private static String cards(int n, boolean priced) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            sb.append("<div class=\"card\"><a href=\"/products/kettle-").append(i).append("\"><h3>Stovetop kettle model ")
                    .append(i).append("</h3>").append(priced ? "<span>$" + (20 + i) + ".99</span>" : "")
                    .append("</a></div>\n");
        }
        return sb.toString();
    }

    private static final String BUYING_GUIDE = """
            <div class="guide">
              <h2>How to choose a kettle</h2>
              <p>A stovetop kettle works on gas, electric and induction hobs alike when its base is magnetic steel. Look
                 at the capacity first: a litre is enough for two people, a family wants close to two litres.</p>
              <p>Whistling kettles tell you when the water boils; a spout cap that opens with the handle keeps your
                 fingers away from the steam. Enamel looks good but chips when it is knocked against the hob.</p>
              <p>Stainless steel lasts longest and is the easiest to descale with a little vinegar every month.</p>
            </div>
            """;

    @Test
    void collectionKeepsEveryCardBesideTheBuyingGuideAndDropsTheFacets() {
        // The cards are whole-card links (title and price inside the link): a grid, not a list of links to prune.
        String html = Pages.page("<title>Kettles | Acme</title>", """
                <main>
                  <div class="catalogue">
                    <h1>Kettles</h1>
                    <p class="count">12 products</p>
                    <div class="layout">
                      <aside class="facets"><h4>Filter by</h4><ul><li><a href="?c=red">Red (4)</a></li>
                        <li><a href="?c=steel">Steel (8)</a></li></ul></aside>
                      <div class="grid">%s</div>
                    </div>
                  </div>
                  %s
                </main>
                """.formatted(cards(12, true), BUYING_GUIDE));
        ExtractedPage page = extractor.extract(html, "https://shop.example/collections/kettles", ExtractOptions.text());

        assertEquals(PageType.COLLECTION, page.pageType());
        for (int i = 1; i <= 12; i++) {
            assertTrue(page.content().contains("Stovetop kettle model " + i + "\n"), page.content());
        }
        assertTrue(page.content().contains("$21.99"));
        assertTrue(page.content().contains("12 products"));
        assertTrue(page.content().contains("A stovetop kettle works on gas"));
        assertFalse(page.content().contains("Filter by"));
        assertFalse(page.content().contains("Steel (8)"));
    }

    @Test
    void pageThatDoesNotSayWhatItIsIsACatalogueWhenItShowsAGridOfPricedCards() {
        // No catalogue URL and no schema.org type: the grid of priced cards is what makes it a catalogue.
        String html = Pages.page("<title>Kettles | Acme</title>", """
                <div class="page">
                  <div class="results"><h1>Kettles</h1><div class="row">%s</div></div>
                  %s
                </div>
                """.formatted(cards(8, true), BUYING_GUIDE));
        ExtractedPage page = extractor.extract(html, "https://shop.example/kettles-and-teapots", ExtractOptions.text());

        assertTrue(page.content().contains("Stovetop kettle model 1"), page.content());
        assertTrue(page.content().contains("Stovetop kettle model 8"), page.content());
        assertTrue(page.content().contains("$28.99"));
        assertTrue(page.content().contains("Stainless steel lasts longest"));
    }

    @Test
    void articleOnACollectionUrlDoesNotTakeInItsReadNextRail() {
        // A short rail of linked teasers next to a long article is furniture, not a catalogue grid.
        StringBuilder article = new StringBuilder("<article><h1>The history of the kettle</h1>");
        for (int i = 0; i < 8; i++) {
            article.append("<p>Kettles were cast in iron for centuries before sheet metal and enamel made them light ")
                    .append("enough to lift with one hand; the whistle arrived in the twentieth century. ").append(i)
                    .append("</p>");
        }
        article.append("</article>");
        String html = Pages.page("<title>The history of the kettle</title>", """
                <main>%s
                  <div class="more"><div class="teaser"><a href="/a">Teapots through the ages</a></div>
                    <div class="teaser"><a href="/b">Why water boils sooner at altitude</a></div>
                    <div class="teaser"><a href="/c">Descaling without chemicals</a></div>
                    <div class="teaser"><a href="/d">The samovar explained</a></div></div>
                </main>
                """.formatted(article));
        ExtractedPage page = extractor.extract(html, "https://example.org/collection/kettle-history",
                ExtractOptions.text());

        assertTrue(page.content().contains("Kettles were cast in iron"));
        assertFalse(page.content().contains("The samovar explained"), page.content());
    }

    @Test
    void prefixedScreenReaderOnlyTextIsDropped() {
        // Design systems prefix their screen-reader-only classes; such text never shows on screen.
        String html = Pages.page("""
                <main><ul class="events">
                  <li><h3><a href="/e/1">Tech meetup at the library</a></h3><p>Tomorrow at 7 PM</p>
                    <button><span class="eds-is-hidden-accessible">Save this event: Tech meetup at the library</span></button>
                    <span class="u-sr-only">Opens in a new window</span></li>
                  <li><h3><a href="/e/2">Robotics workshop for beginners</a></h3><p>Saturday at 10 AM</p>
                    <span class="v6-visually-hidden">Share this event</span></li>
                </ul>
                <p class="not-sr-only">Times are local to the venue.</p></main>
                """);
        String content = extractor.extract(html, "https://example.org/events/", ExtractOptions.text()).content();

        assertTrue(content.contains("Tech meetup at the library"));
        assertTrue(content.contains("Robotics workshop for beginners"));
        assertTrue(content.contains("Times are local to the venue."));
        assertFalse(content.contains("Save this event"), content);
        assertFalse(content.contains("Opens in a new window"), content);
        assertFalse(content.contains("Share this event"), content);
    }
}
