package dev.sluice.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Chrome that forum software repeats in every post, and e-mail sign-up boxes, stay out of the content. */
class ForumAndSignupTest {

    private final ContentExtractor extractor = new ContentExtractor();

    private ExtractedPage text(String html, String url) {
        return extractor.extract(html, url, ExtractOptions.text());
    }

    private static String post(String user, String joined, int posts, String body) {
        return "<div class=\"postrow\"><div class=\"who\"><a href=\"/u/" + user + "\">" + user + "</a>"
                + "<div>Senior Member</div><div>Join Date: " + joined + "</div><div>Posts: " + posts + "</div></div>"
                + "<div class=\"msg\"><p>" + body + "</p></div>"
                + "<ul class=\"acts\"><li><a href=\"/q\">Reply with quote</a></li></ul></div>";
    }

    @Test
    void forumPostsKeepTheirTextAndLoseThePosterPanelAndButtons() {
        String thread = post("riverfan", "Aug 2008", 1077,
                "My sourdough starter stopped rising after I moved it to the fridge. Is it dead or just sleeping?")
                + post("bakerbob", "Mar 2011", 52,
                "It is sleeping. Take it out, feed it twice a day at room temperature and it will come back.")
                + post("flourpower", "Jan 2019", 8,
                "Agree with bakerbob. Mine took three days to become active again after a month in the cold.")
                + post("riverfan", "Aug 2008", 1078,
                "Thanks both, it doubled this morning after the second feeding. Problem solved!");
        String html = Pages.page("<title>Starter not rising - Baking forum</title>",
                "<main><h1>Starter not rising</h1><div class=\"thread\">" + thread + "</div></main>");
        ExtractedPage page = text(html, "https://forum.example.org/showthread.php?t=123");

        assertEquals(PageType.FORUM, page.pageType());
        for (String fragment : new String[] {"Is it dead or just sleeping?", "feed it twice a day",
                "Mine took three days", "it doubled this morning", "bakerbob"}) {
            assertTrue(page.content().contains(fragment), fragment);
        }
        assertFalse(page.content().contains("Join Date"), page.content());
        assertFalse(page.content().contains("Posts: 1077"), page.content());
        assertFalse(page.content().contains("Reply with quote"), page.content());
        assertFalse(page.content().contains("Senior Member"), page.content());
    }

    @Test
    void aCodeLineThatRepeatsInAThreadStays() {
        String code = "<pre><code>esac\n</code></pre>";
        StringBuilder thread = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            thread.append("<div class=\"postrow\"><p>Attempt number ").append(i)
                    .append(" at fixing the script still fails at the closing line of the if block.</p>")
                    .append(code).append("</div>");
        }
        String html = Pages.page("<title>Shell script fails - Forum</title>",
                "<main><h1>Shell script fails</h1><div class=\"thread\">" + thread + "</div></main>");
        ExtractedPage page = text(html, "https://forum.example.org/t/shell-script-fails/9");

        assertEquals(PageType.FORUM, page.pageType());
        assertEquals(4, page.content().split("esac", -1).length - 1, page.content());
        assertTrue(page.content().contains("Attempt number 3"));
    }

    @Test
    void aNewsletterBoxGoesWithItsHeadingAndPitch() {
        String html = Pages.page("<title>Living in a tiny house</title><meta property=\"og:type\" content=\"article\">",
                """
                <article><h1>Living in a tiny house</h1><div class="entry">
                  <p>Five years ago I sold most of what I owned and moved into a house smaller than most garages,
                     and I have been asked ever since whether I regret it.</p>
                  <p>The short answer is no, but the long answer has a few caveats about storage, parking and the
                     weight limits of a trailer that nobody mentions when they sell you on the idea.</p>
                  <p>Winter is the real test: condensation, frozen water lines and a single heater that has to keep
                     everything above freezing without running all night.</p>
                  <div class="mc4wp"><h4>Stay in the loop</h4><p>One letter a month, no spam.</p>
                    <form><input type="email" name="EMAIL"><input type="submit" value="Join"></form></div>
                  <p>Spring is the reward: doors open, the deck becomes a second room and the whole house airs out
                     in an afternoon.</p>
                  <div class="wp-block-group"><h3>Discover more from Tiny Journeys</h3>
                    <p>Subscribe to get the latest posts sent to your email.</p>
                    <form action="/subscribe"><input type="email" name="email" placeholder="Type your email">
                      <button>Subscribe</button></form></div>
                </div></article>
                """);
        ExtractedPage page = text(html, "https://blog.example.com/2026/01/living-tiny");

        assertTrue(page.content().contains("Winter is the real test"));
        assertTrue(page.content().contains("Five years ago"));
        assertTrue(page.content().contains("Spring is the reward"));
        assertFalse(page.content().contains("Stay in the loop"), page.content());
        assertFalse(page.content().contains("no spam"), page.content());
        assertFalse(page.content().contains("Discover more from"), page.content());
        assertFalse(page.content().contains("latest posts sent to your email"), page.content());
    }

    @Test
    void aPageWrappedInOneFormKeepsItsContentAroundANewsletterField() {
        StringBuilder prose = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            prose.append("<p>Paragraph ").append(i).append(" of the guide explains how the county collects garden ")
                    .append("waste, which bins to use and when the collection rounds change for the winter.</p>");
        }
        String html = Pages.page("<title>Garden waste collection</title>",
                "<form id=\"aspnetForm\" method=\"post\"><div class=\"page\"><h1>Garden waste collection</h1>"
                        + prose + "<div class=\"news\"><h4>Get updates</h4><input type=\"email\" name=\"e\"></div>"
                        + "</div></form>");
        ExtractedPage page = text(html, "https://council.example.gov/waste/garden");

        assertTrue(page.content().contains("Paragraph 19 of the guide"), page.content());
        assertFalse(page.content().contains("Get updates"), page.content());
    }
}
