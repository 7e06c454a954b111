import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import xner.infer.KeywordModel;

/**
 * For bench/document-memory.sh: writes DIR/model (the tests' keyword model: a real BERT folder, tiny) and
 * DIR/PAGES-pages.pdf, a PDF written by PDFBox whose every page holds 50 lines of text (about 3,000 characters, the
 * density of a dense report page) with entities the model knows.
 * Run: java -cp "documents/target/lib/*:target/xner-tests.jar" bench/DocumentMemory.java DIR PAGES
 */
public class DocumentMemory {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int pages = Integer.parseInt(args[1]);
        Files.createDirectories(dir);
        KeywordModel.standard(dir.resolve("model"));
        String[] lines = {"Jeff Dean ist ein Informatiker bei Google in Kalifornien , and I work at Hugging Face .",
                "My name is Sylvain and I work at Hugging Face in Brooklyn , Müller ist in Zürich .",
                "Genève ist in ein Informatiker bei Microsoft , and I work in Brooklyn at Google !"};
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 0; p < pages; p++) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.beginText();
                    content.setFont(font, 7);
                    content.setLeading(14);
                    content.newLineAtOffset(36, 750);
                    for (int l = 0; l < 50; l++) {
                        content.showText(lines[(p + l) % lines.length]);
                        content.newLine();
                    }
                    content.endText();
                }
            }
            doc.save(dir.resolve(pages + "-pages.pdf").toFile());
        }
    }
}
