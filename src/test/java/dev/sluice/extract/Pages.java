package dev.sluice.extract;

/** Page furniture shared by the hand-written fixture pages, so each test shows only what it is about. */
final class Pages {

    static final String NAV = """
            <header class="site-header"><a href="/">Acme Home</a>
              <nav><ul><li><a href="/products">Products</a></li><li><a href="/pricing">Pricing</a></li>
              <li><a href="/blog">Blog</a></li><li><a href="/about">About us</a></li></ul></nav></header>
            """;
    static final String FOOTER = """
            <footer><p>Copyright 2025 Acme Corporation. All rights reserved.</p>
              <ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of service</a></li></ul></footer>
            <div id="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies to continue.</p></div>
            """;

    private Pages() {
    }

    static String page(String head, String main) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">" + head + "</head><body>" + NAV
                + main + FOOTER + "</body></html>";
    }

    static String page(String main) {
        return page("<title>Fixture page</title>", main);
    }
}
