package dev.sluice.extract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.destination.PDPageFitDestination;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;

/** PDFs written with PDFBox for the tests: a report with metadata and headings, encrypted, scanned, oversized. */
final class Pdfs {

    static final String TITLE = "Tidal Energy Report 2026";
    static final String AUTHOR = "Ada Marin";

    private static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private static final PDType1Font BODY = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

    private Pdfs() {
    }

    /** A two-page report: a 20 pt title, 14 pt section headings, 10 pt paragraphs; metadata filled in. */
    static byte[] report(boolean withOutline) {
        try (PDDocument doc = new PDDocument()) {
            PDPage first = page(doc, new Object[][] {
                    {20f, "Tidal Energy Report"},
                    {14f, "Why the tides matter"},
                    {10f, "Tidal streams move twice a day with a regularity that no wind farm can match, so the"},
                    {10f, "energy they carry can be planned years ahead by any grid operator."},
                    {null, null},
                    {10f, "Spring tides at new and full moon give the largest range of the month."},
            });
            PDPage second = page(doc, new Object[][] {
                    {14f, "Turbines in the water"},
                    {10f, "Underwater turbines sit on the sea bed where the current runs fastest and turn slowly"},
                    {10f, "enough for fish to pass between the blades without harm."},
            });
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(TITLE);
            info.setAuthor(AUTHOR);
            Calendar created = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
            created.clear();
            created.set(2026, Calendar.MARCH, 14, 9, 0, 0);
            info.setCreationDate(created);
            if (withOutline) {
                PDDocumentOutline outline = new PDDocumentOutline();
                outline.addLast(bookmark("Why the tides matter", first));
                outline.addLast(bookmark("Turbines in the water", second));
                doc.getDocumentCatalog().setDocumentOutline(outline);
            }
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The report, encrypted with a password needed to open it. */
    static byte[] encrypted() {
        try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(report(false))) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret",
                    new AccessPermission());
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pages without a text layer, as a scanner writes them (here: only drawn shapes). */
    static byte[] scanned() {
        try (PDDocument doc = new PDDocument()) {
            for (int i = 0; i < 2; i++) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.addRect(50, 50, 400, 600);
                    content.fill();
                }
            }
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The report with an attachment of incompressible bytes, so that the file is larger than {@code bytes}. */
    static byte[] larger(int bytes) {
        try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(report(false))) {
            byte[] noise = new byte[bytes];
            new Random(7).nextBytes(noise);
            PDEmbeddedFile file = new PDEmbeddedFile(doc, new java.io.ByteArrayInputStream(noise));
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile("data.bin");
            spec.setEmbeddedFile(file);
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(Map.of("data.bin", spec));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(doc.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            doc.getDocumentCatalog().setNames(names);
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page of lines, each {size, text}; {null, null} leaves a blank line (a paragraph break). */
    private static PDPage page(PDDocument doc, Object[][] lines) throws IOException {
        PDPage page = new PDPage();
        doc.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
            float y = 720;
            for (Object[] line : lines) {
                if (line[0] == null) {
                    y -= 24;
                    continue;
                }
                float size = (Float) line[0];
                content.beginText();
                content.setFont(size > 10 ? BOLD : BODY, size);
                content.newLineAtOffset(60, y);
                content.showText((String) line[1]);
                content.endText();
                y -= size > 10 ? size * 1.6f + 10 : size * 1.25f;
            }
        }
        return page;
    }

    private static PDOutlineItem bookmark(String title, PDPage page) {
        PDOutlineItem item = new PDOutlineItem();
        item.setTitle(title);
        PDPageFitDestination destination = new PDPageFitDestination();
        destination.setPage(page);
        item.setDestination(destination);
        return item;
    }

    private static byte[] save(PDDocument doc) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.save(out);
        return out.toByteArray();
    }
}
