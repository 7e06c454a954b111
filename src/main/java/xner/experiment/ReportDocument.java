package xner.experiment;

import java.util.ArrayList;
import java.util.List;

/**
 * A report as a list of blocks (headings, paragraphs, tables, images, preformatted text) that renders to
 * Markdown and to a self-contained HTML page, so both files say the same thing. Images are named without
 * extension under {@code plots/}: Markdown shows the PNG, HTML the SVG.
 */
final class ReportDocument {
    private sealed interface Block permits Heading, Paragraph, Table, Image, Pre {}

    private record Heading(int level, String text) implements Block {}

    private record Paragraph(String text) implements Block {}

    private record Table(List<String> header, List<List<String>> rows) implements Block {}

    private record Image(String alt, String name) implements Block {}

    private record Pre(String text) implements Block {}

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    ReportDocument(String title) {
        this.title = title;
    }

    ReportDocument heading(int level, String text) {
        blocks.add(new Heading(level, text));
        return this;
    }

    /** A paragraph; {@code **bold**} and {@code `code`} are the only markup, rendered in both formats. */
    ReportDocument paragraph(String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    ReportDocument table(List<String> header, List<List<String>> rows) {
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException(row.size() + " cells for " + header.size() + " columns: " + row);
            }
        }
        blocks.add(new Table(List.copyOf(header), rows.stream().map(List::copyOf).toList()));
        return this;
    }

    ReportDocument image(String alt, String name) {
        blocks.add(new Image(alt, name));
        return this;
    }

    ReportDocument pre(String text) {
        blocks.add(new Pre(text));
        return this;
    }

    String markdown() {
        StringBuilder out = new StringBuilder("# ").append(title).append("\n\n");
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                out.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (b instanceof Paragraph p) {
                out.append(p.text()).append("\n\n");
            } else if (b instanceof Table t) {
                out.append("| ").append(String.join(" | ", t.header().stream().map(ReportDocument::cell).toList())).append(" |\n");
                out.append("|").append(" --- |".repeat(t.header().size())).append('\n');
                for (List<String> row : t.rows()) {
                    out.append("| ").append(String.join(" | ", row.stream().map(ReportDocument::cell).toList())).append(" |\n");
                }
                out.append('\n');
            } else if (b instanceof Image i) {
                out.append("![").append(i.alt()).append("](plots/").append(i.name()).append(".png)\n\n");
            } else if (b instanceof Pre p) {
                out.append("```\n").append(p.text().stripTrailing()).append("\n```\n\n");
            }
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    String html() {
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}\n")
                .append("table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.25rem .6rem}\n")
                .append("td{text-align:right}td:first-child{text-align:left}th{background:#f3f3f3}\n")
                .append("pre{background:#f6f6f6;padding:.6rem;overflow-x:auto}img{max-width:100%}\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                out.append("<h").append(h.level()).append('>').append(escape(h.text())).append("</h").append(h.level())
                        .append(">\n");
            } else if (b instanceof Paragraph p) {
                out.append("<p>").append(inline(p.text())).append("</p>\n");
            } else if (b instanceof Table t) {
                out.append("<table>\n<tr>");
                for (String h : t.header()) out.append("<th>").append(inline(h)).append("</th>");
                out.append("</tr>\n");
                for (List<String> row : t.rows()) {
                    out.append("<tr>");
                    for (String c : row) out.append("<td>").append(inline(c)).append("</td>");
                    out.append("</tr>\n");
                }
                out.append("</table>\n");
            } else if (b instanceof Image i) {
                out.append("<figure><img src=\"plots/").append(escape(i.name())).append(".svg\" alt=\"")
                        .append(escape(i.alt())).append("\"><figcaption>").append(escape(i.alt()))
                        .append("</figcaption></figure>\n");
            } else if (b instanceof Pre p) {
                out.append("<pre>").append(escape(p.text().stripTrailing())).append("</pre>\n");
            }
        }
        return out.append("</body>\n</html>\n").toString();
    }

    /** Escapes, then renders {@code **bold**} and {@code `code`}. */
    private static String inline(String text) {
        return escape(text).replaceAll("\\*\\*(.+?)\\*\\*", "<strong>$1</strong>").replaceAll("`(.+?)`", "<code>$1</code>");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
