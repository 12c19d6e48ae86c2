package dev.sluice.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One hand-written page per page type: the content a reader came for is kept, the furniture is not. */
class PageTypesTest {

    private final ContentExtractor extractor = new ContentExtractor();

    private ExtractedPage markdown(String html, String url) {
        return extractor.extract(html, url, ExtractOptions.defaults());
    }

    private ExtractedPage text(String html, String url) {
        return extractor.extract(html, url, ExtractOptions.text());
    }

    @Test
    void articleKeepsBodyAndDropsSidebarRelatedAndComments() {
        String html = Pages.page("<title>Why rivers meander | Acme</title>", """
                <div class="layout">
                  <main><article>
                    <h1>Why rivers meander</h1>
                    <p class="byline">By Jane Doe</p>
                    <p>Rivers rarely run straight. Water flows faster on the outside of a bend, eroding the bank there,
                       while slower water on the inside drops sediment and builds a point bar.</p>
                    <h2>The feedback loop</h2>
                    <p>Every bend makes itself deeper: erosion on one side and deposition on the other push the channel
                       sideways, year after year, until a loop is cut off and becomes an oxbow lake.</p>
                    <p>Geologists have measured bends migrating several metres a year on large lowland rivers.</p>
                    <div class="share-buttons"><a href="https://x.com/share">Share on X</a><a href="https://facebook.com/share">Share on Facebook</a></div>
                  </article>
                  <section class="related-posts"><h3>Related posts</h3><ul>
                    <li><a href="/deltas">How deltas form in shallow seas and why they shift over centuries</a></li>
                    <li><a href="/floods">Flood plains explained for people who live near a river</a></li></ul></section>
                  <div id="comments"><h3>3 comments</h3><div class="comment"><p>Great article, thanks for writing it up so clearly!</p></div></div>
                  </main>
                  <aside class="sidebar"><h3>Newsletter</h3><p>Subscribe to get our weekly digest of river science.</p></aside>
                </div>
                """);
        ExtractedPage page = text(html, "https://example.org/rivers/meander");

        assertEquals(PageType.ARTICLE, page.pageType());
        assertTrue(page.content().contains("Rivers rarely run straight."));
        assertTrue(page.content().contains("The feedback loop"));
        assertTrue(page.content().contains("until a loop is cut off and becomes an oxbow lake."));
        assertFalse(page.content().contains("Related posts"));
        assertFalse(page.content().contains("Great article"));
        assertFalse(page.content().contains("Share on X"));
        assertFalse(page.content().contains("Subscribe"));
        assertFalse(page.content().contains("Copyright"));
        assertFalse(page.content().contains("cookies"));
        assertFalse(page.content().contains("Pricing"));
        // The title is returned on its own, not repeated as the first line.
        assertFalse(page.content().startsWith("Why rivers meander"));
    }

    @Test
    void forumThreadKeepsEveryPost() {
        String posts = """
                <div class="post" id="p1"><div class="author">riverfan</div><div class="post-body">
                  <p>My sourdough starter stopped rising after I moved it to the fridge. Is it dead or just sleeping?</p></div></div>
                <div class="post" id="p2"><div class="author">bakerbob</div><div class="post-body">
                  <p>It is sleeping. Take it out, feed it twice a day at room temperature and it will come back.</p></div></div>
                <div class="post" id="p3"><div class="author">flourpower</div><div class="post-body">
                  <p>Agree with bakerbob. Mine took three days to become active again after a month in the cold.</p></div></div>
                <div class="post" id="p4"><div class="author">riverfan</div><div class="post-body">
                  <p>Thanks both, it doubled this morning after the second feeding. Problem solved!</p></div></div>
                """;
        String html = Pages.page("<title>Starter not rising - Baking forum</title>",
                "<main><h1>Starter not rising</h1><div class=\"thread\">" + posts + "</div>"
                        + "<div class=\"pagination\"><a href=\"?page=1\">1</a><a href=\"?page=2\">2</a></div></main>");
        ExtractedPage page = text(html, "https://forum.example.org/t/starter-not-rising/123");

        assertEquals(PageType.FORUM, page.pageType());
        for (String fragment : new String[] {"Is it dead or just sleeping?", "feed it twice a day",
                "Mine took three days", "it doubled this morning"}) {
            assertTrue(page.content().contains(fragment), fragment);
        }
        assertFalse(page.content().contains("Copyright"));
    }

    @Test
    void discussionWithCommentNamedRepliesKeepsThem() {
        // A shared link with its discussion: the replies carry class "comment" but are the page's content.
        String html = Pages.page("""
                <main><div class="story"><a href="https://blog.example.com/post">Rust 2024 goals</a> via alice</div>
                <ol class="comments">
                  <li class="comment"><p>Very interested in the ergonomic reference counting proposal, I clone Arcs everywhere.</p></li>
                  <li class="comment"><p>Same here. Async code with many spawned tasks is where it hurts the most for us.</p></li>
                  <li class="comment"><p>The proposal also mentions better error messages for trait bounds, which I welcome.</p></li>
                </ol></main>
                """);
        ExtractedPage page = text(html, "https://news.example.org/s/abc123/rust_2024_goals");

        assertTrue(page.content().contains("ergonomic reference counting"));
        assertTrue(page.content().contains("Async code with many spawned tasks"));
        assertTrue(page.content().contains("better error messages"));
    }

    @Test
    void productWithThinDomFallsBackToJsonLd() {
        String head = """
                <title>Trail 25 Daypack</title>
                <meta property="og:type" content="product">
                <script type="application/ld+json">
                {"@context":"https://schema.org","@type":"Product","name":"Trail 25 Daypack",
                 "description":"A 25 litre daypack with a ventilated back panel, hip belt pockets and a rain cover. Made from recycled ripstop nylon with a water repellent finish, it carries a full day's kit comfortably and weighs only 900 grams.",
                 "brand":{"@type":"Brand","name":"Acme Outdoor"},
                 "offers":{"@type":"Offer","price":"89.95","priceCurrency":"EUR"}}
                </script>
                """;
        // What a script-rendered shop sends before JavaScript runs: an empty app shell.
        String html = Pages.page(head, "<div id=\"app\"><div class=\"spinner\">Loading</div></div>");
        ExtractedPage page = text(html, "https://shop.example.com/products/trail-25");

        assertEquals(PageType.PRODUCT, page.pageType());
        assertTrue(page.content().contains("Trail 25 Daypack"));
        assertTrue(page.content().contains("ventilated back panel"));
        assertTrue(page.content().contains("Price: 89.95 EUR"));
        assertTrue(page.content().contains("Brand: Acme Outdoor"));
    }

    @Test
    void productPageKeepsDescriptionAndSpecsButNotReviews() {
        String html = Pages.page("""
                <main><div class="product">
                  <h1>Trail 25 Daypack</h1><p class="price">$89.95</p>
                  <div class="description"><p>A 25 litre daypack with a ventilated back panel, hip belt pockets and a rain cover
                  that stows in its own pocket. Made from recycled ripstop nylon.</p></div>
                  <table class="specs"><tr><th>Capacity</th><td>25 litres</td></tr><tr><th>Weight</th><td>900 g</td></tr></table>
                </div>
                <section id="reviews"><h2>Customer reviews</h2>
                  <div class="review"><p>Bought it for a hiking holiday and it was comfortable all day, would buy again.</p></div>
                  <div class="review"><p>The zips feel a little cheap but otherwise a great pack for the price.</p></div></section>
                <section class="recommended-products"><h2>You may also like</h2><a href="/p/1">Trail 35</a><a href="/p/2">Trail 15</a></section>
                </main>
                """);
        ExtractedPage page = text(html, "https://shop.example.com/products/trail-25");

        assertTrue(page.content().contains("ventilated back panel"));
        assertTrue(page.content().contains("Capacity | 25 litres"));
        assertFalse(page.content().contains("comfortable all day"));
        assertFalse(page.content().contains("You may also like"));
    }

    @Test
    void documentationKeepsCodeBlocksAndTables() {
        String html = Pages.page("<title>Configuration - Acme Docs</title>", """
                <div class="docs-layout">
                <nav class="docs-sidebar"><ul><li><a href="/docs/install">Install</a></li><li><a href="/docs/config">Configuration</a></li></ul></nav>
                <main><article class="markdown-body">
                  <h1>Configuration</h1>
                  <p>Acme reads its settings from <code>acme.yaml</code> in the working directory. Every key has a default.</p>
                  <pre><code class="language-yaml">server:
                  port: 8080
                  threads: 4
                </code></pre>
                  <p>The options below control the server. Unknown keys are rejected at start-up.</p>
                  <table><thead><tr><th>Key</th><th>Default</th><th>Meaning</th></tr></thead>
                  <tbody><tr><td>port</td><td>8080</td><td>TCP port to listen on</td></tr>
                  <tr><td>threads</td><td>4</td><td>Worker threads</td></tr></tbody></table>
                </article></main></div>
                """);
        ExtractedPage page = markdown(html, "https://acme.dev/docs/config");

        assertEquals(PageType.DOCUMENTATION, page.pageType());
        assertTrue(page.content().contains("```yaml\nserver:\n  port: 8080\n  threads: 4\n```"), page.content());
        assertTrue(page.content().contains("""
                | Key | Default | Meaning |
                | --- | --- | --- |
                | port | 8080 | TCP port to listen on |
                | threads | 4 | Worker threads |"""), page.content());
        assertTrue(page.content().contains("`acme.yaml`"));
        assertFalse(page.content().contains("Install"));
    }

    @Test
    void listingKeepsItemsButNotFiltersOrPagination() {
        StringBuilder items = new StringBuilder();
        String[][] posts = {
                {"How we cut our build times in half", "Caching, parallel test shards and a smaller base image."},
                {"A year of running PostgreSQL on Kubernetes", "What went well, what broke, and what we would change."},
                {"Designing APIs that age gracefully", "Versioning, deprecation windows and additive changes."},
                {"Observability on a budget", "Logs, metrics and traces without a six-figure bill."}};
        for (String[] post : posts) {
            items.append("<article class=\"card\"><h2><a href=\"/blog/").append(post[0].hashCode()).append("\">")
                    .append(post[0]).append("</a></h2><p>").append(post[1]).append("</p><span class=\"date\">March 3, 2025</span></article>");
        }
        String html = Pages.page("<title>Engineering blog</title>", """
                <main><h1>Engineering blog</h1>
                <div class="filters"><span>Filter by topic</span><ul class="tags"><li><a href="/tag/db">Databases</a></li><li><a href="/tag/ops">Operations</a></li></ul></div>
                <div class="post-list">%s</div>
                <nav class="pagination"><a href="?page=2">Next page</a><a href="?page=9">Last</a></nav></main>
                """.formatted(items));
        ExtractedPage page = text(html, "https://acme.dev/blog/");

        assertEquals(PageType.LISTING, page.pageType());
        for (String[] post : posts) {
            assertTrue(page.content().contains(post[0]), post[0]);
            assertTrue(page.content().contains(post[1]), post[1]);
        }
        assertFalse(page.content().contains("Next page"));
        assertFalse(page.content().contains("Filter by topic"));
    }

    @Test
    void collectionKeepsProductTilesButNotNavigation() {
        StringBuilder tiles = new StringBuilder();
        String[] names = {"Trail 25 Daypack", "Summit 40 Backpack", "Hydration Vest 10", "Ultralight Tent 2P", "Down Sleeping Bag -5"};
        for (int i = 0; i < names.length; i++) {
            tiles.append("<li class=\"product-tile\"><a href=\"/p/").append(i).append("\"><h3>").append(names[i])
                    .append("</h3></a><span class=\"price\">$").append(49 + i * 10).append(".00</span></li>");
        }
        String html = Pages.page("<title>Backpacks and camping gear</title>", """
                <div class="breadcrumbs"><a href="/">Home</a> / <a href="/camping">Camping</a></div>
                <main><h1>Backpacks and camping gear</h1>
                <p>Everything you need for a night or a week outdoors, tested by our staff on real trips.</p>
                <aside class="facets"><h4>Brand</h4><ul><li><a href="?brand=acme">Acme</a></li><li><a href="?brand=zen">Zen</a></li></ul></aside>
                <ul class="product-grid">%s</ul></main>
                """.formatted(tiles));
        ExtractedPage page = text(html, "https://shop.example.com/collections/camping");

        assertEquals(PageType.COLLECTION, page.pageType());
        for (String name : names) {
            assertTrue(page.content().contains(name), name);
        }
        assertTrue(page.content().contains("$49.00"));
        assertTrue(page.content().contains("tested by our staff"));
        assertFalse(page.content().contains("Home / Camping"));
        assertFalse(page.content().contains("Brand"));
    }

    @Test
    void servicePageKeepsEverySection() {
        String html = Pages.page("<title>Acme Cloud Backup</title>", """
                <main>
                  <section class="hero"><h1>Backups you never think about</h1>
                    <p>Acme Cloud Backup copies your servers every hour, encrypts everything and keeps 90 days of history.</p>
                    <a class="button" href="/signup">Start free trial</a></section>
                  <section class="features"><h2>Why teams choose us</h2>
                    <div class="feature"><h3>Encrypted end to end</h3><p>Keys never leave your infrastructure; we only ever see ciphertext.</p></div>
                    <div class="feature"><h3>Restore in minutes</h3><p>Bring back one file or a whole machine from any hourly snapshot.</p></div>
                    <div class="feature"><h3>Priced per server</h3><p>No per-gigabyte surprises: a flat monthly price for each protected server.</p></div>
                  </section>
                  <section class="testimonials"><blockquote><p>We restored a deleted database in four minutes during an outage.</p></blockquote></section>
                </main>
                """);
        ExtractedPage page = text(html, "https://acme.example.com/");

        assertEquals(PageType.SERVICE, page.pageType());
        for (String fragment : new String[] {"copies your servers every hour", "Encrypted end to end",
                "Restore in minutes", "a flat monthly price", "restored a deleted database"}) {
            assertTrue(page.content().contains(fragment), fragment);
        }
        assertFalse(page.content().contains("Privacy policy"));
    }
}
