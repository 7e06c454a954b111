package xner.documents;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The end of Tika's chain of SAX handlers: the body's characters as one text, and where each page starts in it.
 * Tika's PDF parser opens a {@code <div class="page">} per page; an embedded document (an attachment, inside a
 * {@code <div class="package-entry">}) keeps its own pages out of the count. Every event also checks the deadline,
 * so that a parser that keeps producing text stops when the document's time is up.
 */
final class PageText extends DefaultHandler {
    /** Thrown into the parser when the time is up; recognised by {@link TikaExtractor}. */
    static final class DeadlinePassed extends SAXException {
        DeadlinePassed() {
            super("the time limit passed");
        }
    }

    private final StringBuilder text = new StringBuilder();
    private final List<Integer> pageStarts = new ArrayList<>();
    private final long deadlineNanos;
    private final Deque<Boolean> openDivs = new ArrayDeque<>(); // for each open div: whether it holds an embedded document
    private int openEmbedded;

    PageText(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        checkDeadline();
        if (!"div".equals(localName)) return;
        String kind = atts.getValue("class");
        boolean embedded = "package-entry".equals(kind);
        openDivs.push(embedded);
        if (embedded) openEmbedded++;
        else if ("page".equals(kind) && openEmbedded == 0) pageStarts.add(text.length());
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        if ("div".equals(localName) && !openDivs.isEmpty() && openDivs.pop()) openEmbedded--;
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        checkDeadline();
        text.append(ch, start, length);
    }

    /** Tika writes the line breaks between paragraphs as ignorable white space: they belong to the text. */
    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        characters(ch, start, length);
    }

    private void checkDeadline() throws DeadlinePassed {
        if (System.nanoTime() - deadlineNanos > 0) throw new DeadlinePassed();
    }

    String text() {
        return text.toString();
    }

    List<Integer> pageStarts() {
        return pageStarts;
    }
}
