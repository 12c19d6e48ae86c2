package dev.sluice.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The structural rules that cut what surrounds the content when nothing in the markup names it: the blocks carry
 * neutral class names (or none), so only their structure can give them away.
 */
class StructuralPrecisionTest {

    private final ContentExtractor extractor = new ContentExtractor();

    private ExtractedPage text(String html, String url) {
        return extractor.extract(html, url, ExtractOptions.text());
    }

    private static final String[] TOPICS = {"harbour dredging", "council budget", "school meals", "rail strike",
        "flood defences", "library hours", "bus timetable", "hospital wing", "market square", "park renovation"};

    /** About 2,000 words of what news sites put under a story: teaser rails, a newsletter box, contact and legal. */
    static String heavyFooter() {
        StringBuilder f = new StringBuilder("<div class=\"wrap-b\">");
        for (int rail = 0; rail < 6; rail++) {
            f.append("<div class=\"blk\"><h3>Section ").append(rail).append("</h3><div class=\"grid\">");
            for (int i = 0; i < 10; i++) {
                String topic = TOPICS[(rail + i) % TOPICS.length];
                f.append("<div class=\"c\"><a href=\"/story/").append(rail).append('-').append(i).append("\">")
                        .append("Residents react to the ").append(topic).append(" decision</a>")
                        .append("<p>Officials said the ").append(topic)
                        .append(" plan would be reviewed again next month after a public meeting drew a large ")
                        .append("crowd of residents with questions about cost and timing.</p>")
                        .append("<span>").append(i + 2).append(" hours ago</span></div>");
            }
            f.append("</div></div>");
        }
        f.append("<div class=\"blk\"><h3>Get the morning briefing</h3><p>Every weekday at 7am. Free. "
                + "Unsubscribe any time.</p></div>");
        f.append("<div class=\"blk\"><p>Contact the newsroom: 555-0100.</p><p>Tips: tips@example.net</p>"
                + "<p>Advertise with us.</p><p>Terms of use.</p><p>Privacy policy.</p>"
                + "<p>© 2026 Example Media Group. All rights reserved.</p></div>");
        return f.append("</div>").toString();
    }

    @Test
    void aNewsStoryWithATwoThousandWordFooterKeepsOnlyTheStory() {
        String footer = heavyFooter();
        assertTrue(ContentExtractor.wordCount(org.jsoup.Jsoup.parse(footer).text()) >= 2000, "the footer is heavy");
        String html = """
                <html><head><title>Ferry service to resume in spring</title>
                <meta property="og:type" content="article"></head><body>
                <div class="wrap"><div class="col">
                  <h1>Ferry service to resume in spring</h1>
                  <div class="txt">
                    <p>The island ferry will run again from April after the operator agreed a new contract with the
                       county, ending a winter in which residents had to rely on a single daily boat.</p>
                    <p>The agreement guarantees four crossings a day in summer and two in winter, with fares frozen
                       for two years. The operator said a refitted vessel would join the route in May.</p>
                    <p>Island businesses welcomed the news. The owner of the harbour café said the lost winter trade
                       had been the hardest she could remember, and that bookings for Easter were already rising.</p>
                    <p>Fishing crews, who had shared the single winter boat with everyone else, said the extra
                       crossings would let them land their catch on the mainland the same day again.</p>
                    <p>The school on the island, which lost two teachers over the winter, hopes the timetable will
                       make it easier to recruit staff who live on the mainland and would commute.</p>
                    <p>The county will review the timetable after the first summer, when passenger numbers are
                       known, and has promised to consult residents before any change to winter sailings.</p>
                  </div>
                </div>
                """ + footer + "</div></body></html>";

        ExtractedPage page = text(html, "https://news.example.net/local/ferry-service-to-resume");

        String content = page.content();
        assertEquals(PageType.ARTICLE, page.pageType());
        assertTrue(content.contains("The island ferry will run again from April"), content);
        assertTrue(content.contains("has promised to consult residents before any change to winter sailings."));
        assertFalse(content.contains("Residents react"), content);
        assertFalse(content.contains("morning briefing"), content);
        assertFalse(content.contains("Contact the newsroom"), content);
        assertFalse(content.contains("All rights reserved"), content);
        assertTrue(page.wordCount() < 300, "only the story: " + page.wordCount() + " words");
    }

    @Test
    void anArticleInSectionsKeepsEverySectionAfterTheDensestOne() {
        StringBuilder sections = new StringBuilder();
        for (int i = 1; i <= 4; i++) {
            sections.append("<div class=\"part\"><h2>Step ").append(i).append("</h2>");
            int paragraphs = i == 1 ? 4 : 2;
            for (int p = 0; p < paragraphs; p++) {
                sections.append("<p>In step ").append(i).append(" the mortar is mixed, spread and left to cure ")
                        .append("for a day before the next course of bricks goes on top of it.</p>");
            }
            sections.append("</div>");
        }
        String html = "<html><head><meta property=\"og:type\" content=\"article\"><title>Building a wall</title>"
                + "</head><body><div><h1>Building a wall</h1>" + sections + "</div></body></html>";

        String content = text(html, "https://diy.example.org/walls").content();

        for (int i = 1; i <= 4; i++) {
            assertTrue(content.contains("In step " + i + " the mortar"), "section " + i + ": " + content);
        }
    }

    @Test
    void aProductPageKeepsItsSpecificationTableAndDropsOtherProducts() {
        StringBuilder others = new StringBuilder("<div class=\"row\">");
        for (int i = 1; i <= 6; i++) {
            others.append("<div class=\"tile\"><a href=\"/p/kettle-").append(i).append("\">Kettle model ")
                    .append(i).append("</a><span>$").append(30 + i).append(".99</span></div>");
        }
        others.append("</div>");
        String html = """
                <html><head><title>Steel kettle 1.7 l</title>
                <script type="application/ld+json">{"@type": "Product", "name": "Steel kettle 1.7 l"}</script>
                </head><body><div class="pg">
                <h1>Steel kettle 1.7 l</h1><div class="price">$49.00</div>
                <p>A brushed steel kettle that boils a full jug in under four minutes and switches itself off when
                   the water boils or the jug is lifted from its base.</p>
                <table><tr><th>Capacity</th><td>1.7 l</td></tr><tr><th>Power</th><td>2200 W</td></tr>
                  <tr><th>Weight</th><td>1.1 kg</td></tr><tr><th>Cord length</th><td>0.75 m</td></tr></table>
                <h3>You may also like</h3>
                """ + others + "</div></body></html>";

        ExtractedPage page = text(html, "https://shop.example.com/p/steel-kettle");

        String content = page.content();
        assertEquals(PageType.PRODUCT, page.pageType());
        assertTrue(content.contains("$49.00"), content);
        assertTrue(content.contains("brushed steel kettle"), content);
        assertTrue(content.contains("Capacity") && content.contains("2200 W") && content.contains("0.75 m"), content);
        assertFalse(content.contains("Kettle model 3"), content);
    }

    @Test
    void aProductPageDropsASliderOfOtherProductsEvenWhenItOutweighsTheProduct() {
        // Slides whose titles are not links (the whole card is clickable by script), one carrying an extra class,
        // together holding more text than the product itself: still other products, because they sit in a slider.
        StringBuilder slides = new StringBuilder("<div aria-roledescription=\"carousel\"><ul>");
        for (int i = 1; i <= 8; i++) {
            slides.append(i == 1 ? "<li class=\"snap active\">" : "<li>").append("<div>Enamel kettle model ").append(i)
                    .append(" in a matt finish with a wooden handle, 1.5 litres</div><span>$")
                    .append(20 + i).append(".50</span><span>+ $4.99 delivery</span></li>");
        }
        slides.append("</ul></div>");
        String html = """
                <html><head><title>Steel kettle 1.7 l</title>
                <script type="application/ld+json">{"@type": "Product", "name": "Steel kettle 1.7 l"}</script>
                </head><body><div class="pg">
                <h1>Steel kettle 1.7 l</h1><div class="price">$49.00</div>
                <p>A brushed steel kettle that boils a full jug in under four minutes.</p>
                <table><tr><th>Capacity</th><td>1.7 l</td></tr><tr><th>Power</th><td>2200 W</td></tr></table>
                <h3>People who viewed this also viewed</h3>
                """ + slides + "</div></body></html>";

        ExtractedPage page = text(html, "https://shop.example.com/p/steel-kettle");

        String content = page.content();
        assertEquals(PageType.PRODUCT, page.pageType());
        assertTrue(content.contains("$49.00") && content.contains("brushed steel kettle"), content);
        assertTrue(content.contains("Capacity") && content.contains("2200 W"), content);
        for (int i = 1; i <= 8; i++) {
            assertFalse(content.contains("Enamel kettle model " + i), content);
        }
    }

    @Test
    void aProductPageWithItsOwnPriceDropsAGridOfOtherProductsThatOutweighsIt() {
        StringBuilder grid = new StringBuilder("<ul class=\"row\">");
        for (int i = 1; i <= 10; i++) {
            grid.append("<li><article><a href=\"/p/kettle-").append(i).append("\"><h3>Enamel kettle model ").append(i)
                    .append(" with a wooden handle and a whistle</h3><span>$").append(20 + i).append(".50</span></a></article></li>");
        }
        grid.append("</ul>");
        String html = """
                <html><head><title>Steel kettle 1.7 l</title>
                <script type="application/ld+json">{"@type": "Product", "name": "Steel kettle 1.7 l"}</script>
                </head><body><div class="pg">
                <h1>Steel kettle 1.7 l</h1><div class="price">$49.00</div>
                <p>A brushed steel kettle that boils a full jug in under four minutes.</p>
                <h3>Complete the look</h3>
                """ + grid + "</div></body></html>";

        String content = text(html, "https://shop.example.com/p/steel-kettle").content();

        assertTrue(content.contains("$49.00") && content.contains("brushed steel kettle"), content);
        for (int i = 1; i <= 10; i++) {
            assertFalse(content.contains("Enamel kettle model " + i + " "), content);
        }
    }

    @Test
    void aRiverOfArticlesKeepsTheLinkedTitleInEachArticlesHeader() {
        StringBuilder river = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            river.append("<article><header><a href=\"/2026/12/story-").append(i).append("\">Tide tables revised for harbour ")
                    .append(i).append("</a></header><p>Survey boats found the channel had shifted after the winter ")
                    .append("storms, so the published times were moved by up to twenty minutes.</p></article>");
        }
        String html = "<html><head><title>Harbours</title></head><body>"
                + "<header><a href=\"/\">Home</a> <a href=\"/news\">News</a> <a href=\"/topics\">Topics</a></header>"
                + "<main><h1>Harbours</h1>" + river + "</main></body></html>";

        String content = text(html, "https://coast.example.org/topic/harbours").content();

        for (int i = 1; i <= 8; i++) {
            assertTrue(content.contains("Tide tables revised for harbour " + i), "title " + i + ": " + content);
        }
        assertFalse(content.contains("Topics"), content);
    }

    @Test
    void aListingKeepsEveryItemsTitle() {
        StringBuilder items = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            items.append("<div class=\"item\"><h2><a href=\"/posts/").append(i).append("\">Field note ")
                    .append(i).append(": watching swifts over the estuary</a></h2>")
                    .append("<p>A short summary of what was seen on outing ").append(i).append(".</p></div>");
        }
        String html = "<html><head><title>Field notes</title></head><body>"
                + "<div class=\"top\"><a href=\"/\">Home</a> <a href=\"/posts\">Posts</a> <a href=\"/about\">About</a></div>"
                + "<div class=\"list\">" + items + "</div>"
                + "<div class=\"bottom\"><a href=\"/page/2\">Older posts</a></div></body></html>";

        ExtractedPage page = text(html, "https://birds.example.org/posts/");

        assertEquals(PageType.LISTING, page.pageType());
        for (int i = 1; i <= 12; i++) {
            assertTrue(page.content().contains("Field note " + i + ": watching swifts"), "item " + i);
        }
    }

    @Test
    void aForumPostsAuthorCardKeepsOnlyTheAuthorsName() {
        StringBuilder posts = new StringBuilder();
        String[][] replies = {{"marsh_wren", "Senior member", "I keep a notebook by the window and log every visit."},
            {"heron42", "New member", "Bought my first feeder last week and the sparrows found it within an hour."},
            {"kestrel", "Moderator", "Clean feeders every fortnight or so, especially in damp weather."}};
        for (String[] r : replies) {
            posts.append("<article class=\"post\"><div class=\"cell\">")
                    .append("<section itemprop=\"author\" itemscope itemtype=\"https://schema.org/Person\">")
                    .append("<div class=\"details\"><h4><a href=\"/members/").append(r[0]).append("\"><span itemprop=\"name\">")
                    .append(r[0]).append("</span></a></h4><h5 itemprop=\"jobTitle\">").append(r[1]).append("</h5></div>")
                    .append("<dl><dt>Joined</dt><dd>Dec 29, 2021</dd></dl><dl><dt>Messages</dt><dd>1,077</dd></dl>")
                    .append("</section></div><div class=\"body\"><p>").append(r[2])
                    .append(" What do others do about feeding birds through the winter months?</p></div></article>");
        }
        String html = Pages.page("<main><h1>Feeding garden birds in winter</h1>" + posts + "</main>");

        String content = text(html, "https://birds.example.org/threads/feeding-in-winter.123/").content();

        for (String[] r : replies) {
            assertTrue(content.contains(r[0]), content);
            assertTrue(content.contains(r[2]), content);
            assertFalse(content.contains(r[1]), content);
        }
        assertFalse(content.contains("Messages"), content);
        assertFalse(content.contains("Dec 29, 2021"), content);
    }
}
