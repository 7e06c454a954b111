/**
 * Documents in, text out: a PDF, DOCX/DOC, ODT, RTF, HTML, EML/MSG or plain-text file, its type detected from its
 * content, becomes the text {@code tag --input} tags, with the start of each PDF page ({@link
 * xner.documents.TikaExtractor}, on Apache Tika). The core finds it as its {@link xner.data.DocumentExtractor} through
 * {@link java.util.ServiceLoader}; without this module on the class path the core reads no documents.
 */
package xner.documents;
