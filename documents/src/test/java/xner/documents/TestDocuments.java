package xner.documents;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/** Real documents written by the libraries that read them (PDFBox, POI), and by hand where the format is text. */
public final class TestDocuments {
    private TestDocuments() {}

    /** A PDF with one page per element of {@code pages}, each page's lines in Helvetica. */
    public static Path pdf(Path file, List<List<String>> pages) throws IOException {
        try (PDDocument doc = pdfDocument(pages)) {
            doc.save(file.toFile());
        }
        return file;
    }

    /** As {@link #pdf}, encrypted: opening it needs the password {@code secret}. */
    public static Path encryptedPdf(Path file, List<List<String>> pages) throws IOException {
        try (PDDocument doc = pdfDocument(pages)) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "secret", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            doc.save(file.toFile());
        }
        return file;
    }

    /** A PDF whose one page is a scanned image: pixels, no text layer. */
    public static Path imageOnlyPdf(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            BufferedImage scan = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scan.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 200, 100);
            g.setColor(Color.BLACK);
            g.drawString("Jeff Dean", 20, 50); // text as pixels only
            g.dispose();
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.drawImage(LosslessFactory.createFromImage(doc, scan), 50, 500);
            }
            doc.save(file.toFile());
        }
        return file;
    }

    private static PDDocument pdfDocument(List<List<String>> pages) throws IOException {
        PDDocument doc = new PDDocument();
        PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        for (List<String> lines : pages) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(font, 11);
                content.setLeading(14);
                content.newLineAtOffset(72, 720);
                for (String line : lines) {
                    content.showText(line);
                    content.newLine();
                }
                content.endText();
            }
        }
        return doc;
    }

    /** A DOCX with one paragraph per element. */
    public static Path docx(Path file, List<String> paragraphs) throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); OutputStream out = Files.newOutputStream(file)) {
            for (String p : paragraphs) doc.createParagraph().createRun().setText(p);
            doc.write(out);
        }
        return file;
    }

    public static Path html(Path file, String title, String body) throws IOException {
        return Files.writeString(file, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title
                + "</title></head>\n<body><p>" + body + "</p></body></html>\n", StandardCharsets.UTF_8);
    }

    /** An e-mail (RFC 822), its body plain UTF-8 text. */
    public static Path eml(Path file, String subject, String body) throws IOException {
        return Files.writeString(file, "From: Jeff Dean <jeff@example.com>\r\nTo: sylvain@example.com\r\nSubject: " + subject
                + "\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n",
                StandardCharsets.UTF_8);
    }

    /** The first half of {@code source}'s bytes: a download cut short. */
    public static Path truncated(Path source, Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        return Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    }

    /** A PDF header followed by bytes that are no PDF. */
    public static Path corruptPdf(Path file) throws IOException {
        byte[] noise = new byte[4000];
        new java.util.Random(7).nextBytes(noise);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nstream\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(noise);
        }
        return file;
    }

    /**
     * A zip bomb: a 20 KB zip that inflates to {@code megabytes} MB of text (a ratio of about 1,000; Tika refuses text
     * more than 100 times the bytes it read).
     */
    public static Path zipBomb(Path file, int megabytes) throws IOException {
        byte[] block = "xner ".repeat(200_000).getBytes(StandardCharsets.US_ASCII); // 1 MB
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry("notes.txt"));
            for (int i = 0; i < megabytes; i++) zip.write(block);
            zip.closeEntry();
        }
        return file;
    }
}
