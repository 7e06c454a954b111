package xner.data;

/**
 * Where PAN-X comes from: a language code in, that language's splits out ({@code train}, {@code validation},
 * {@code test}, in the order and with the sentence order of Hugging Face's {@code xtreme} /
 * {@code PAN-X.<lang>}), tags from {@link LabelSet#PANX}. A split that the source cannot give with gold
 * tags is absent and carries a note saying why.
 */
public interface PanxSource {
    /** The splits of {@code PAN-X.<lang>}. */
    DatasetDict load(String lang);
}
