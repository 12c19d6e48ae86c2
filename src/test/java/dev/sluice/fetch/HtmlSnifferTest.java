package dev.sluice.fetch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which bodies sent without a Content-Type are read as HTML (the WHATWG sniffing patterns) and which are not. */
class HtmlSnifferTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<!DOCTYPE html><html></html>", "<!doctype HTML>", "  \\n\\t<html lang=en>", "<HTML>",
            "<head><title>x</title></head>", "<body>", "<p>text</p>", "<div class=a>", "<table>", "<a href=x>",
            "<!-- generated -->", "<script>x()</script>", "<title>t</title>", "<br>", "<h1>Title</h1>",
            "\\uFEFF<!DOCTYPE html>"})
    void clearHtmlStartsAreHtml(String body) {
        assertTrue(HtmlSniffer.isHtml(bytes(unescape(body))), body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{\"a\": \"<html>\"}", "<?xml version=\"1.0\"?><html/>", "%PDF-1.7",
            "Hello <html> world", "<htmlx>", "<p", "<!DOCTYPE svg>", "<article>", "<!--x-->", "plain text"})
    void anythingElseIsNot(String body) {
        assertFalse(HtmlSniffer.isHtml(bytes(unescape(body))), body);
    }

    @org.junit.jupiter.api.Test
    void binaryBodiesAreNotHtml() {
        assertFalse(HtmlSniffer.isHtml(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}));
        assertFalse(HtmlSniffer.isHtml(new byte[] {0x1f, (byte) 0x8b, 8, 0}));
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\uFEFF", "\uFEFF");
    }
}
