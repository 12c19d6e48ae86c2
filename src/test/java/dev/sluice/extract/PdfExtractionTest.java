package dev.sluice.extract;

import dev.sluice.fetch.FetchException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PDFs written by PDFBox in the test, read back as Markdown with their headings and metadata. */
class PdfExtractionTest {

    private final ContentExtractor extractor = new ContentExtractor();

    private ExtractedPage read(byte[] pdf) {
        return extractor.extractPdf(pdf, "https://example.org/reports/tidal.pdf", ExtractOptions.defaults(),
                System.nanoTime() + 10_000_000_000L, 10_000);
    }

    @Test
    void headingsComeFromFontSizesAndMetadataFromTheDocumentInformation() {
        ExtractedPage page = read(Pdfs.report(false));
        assertEquals(Pdfs.TITLE, page.title());
        assertEquals(Pdfs.AUTHOR, page.byline());
        assertTrue(page.publishedTime().startsWith("2026-03-14"), page.publishedTime());
        String md = page.content();
        // the 20 pt line is the top heading, returned as the title rather than repeated; 14 pt lines are level 2
        assertFalse(md.startsWith("# Tidal Energy Report"), md);
        assertTrue(md.contains("## Why the tides matter"), md);
        assertTrue(md.contains("## Turbines in the water"), md);
        // lines of one paragraph are joined; a blank line starts a new paragraph
        assertTrue(md.contains("no wind farm can match, so the energy they carry can be planned"), md);
        assertTrue(md.contains("\n\nSpring tides at new and full moon"), md);
        assertTrue(md.indexOf("Why the tides matter") < md.indexOf("Turbines in the water"), "page order kept");
    }

    @Test
    void headingsComeFromTheOutlineWhenThereIsOne() {
        String md = read(Pdfs.report(true)).content();
        assertTrue(md.contains("# Why the tides matter"), md);
        assertTrue(md.contains("# Turbines in the water"), md);
        assertFalse(md.contains("# Tidal Energy Report"), "not in the outline, so a paragraph: " + md);
        assertTrue(md.contains("Underwater turbines sit on the sea bed"), md);
    }

    @Test
    void anEncryptedPdfIsRefusedWithItsOwnCode() {
        FetchException e = assertThrows(FetchException.class, () -> read(Pdfs.encrypted()));
        assertEquals(FetchException.PDF_ENCRYPTED, e.code());
        assertEquals(422, e.status());
    }

    @Test
    void aPdfWithoutATextLayerIsRefusedRatherThanAnsweredEmpty() {
        FetchException e = assertThrows(FetchException.class, () -> read(Pdfs.scanned()));
        assertEquals(FetchException.PDF_WITHOUT_TEXT, e.code());
    }

    @Test
    void bytesThatAreNotAPdfAreRefusedAsUnreadable() {
        FetchException e = assertThrows(FetchException.class,
                () -> read("%PDF-1.7 this is not really a PDF".getBytes()));
        assertEquals(FetchException.PDF_UNREADABLE, e.code());
    }

    @Test
    void readingStopsAtTheDeadline() {
        FetchException e = assertThrows(FetchException.class, () -> extractor.extractPdf(Pdfs.report(false),
                null, ExtractOptions.defaults(), System.nanoTime() - 1, 250));
        assertEquals(FetchException.FETCH_TIMEOUT, e.code());
    }
}
