package xner.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import xner.XnerInputException;

/**
 * How a corpus marks where entities begin and end. Every scheme is converted to {@link #IOB2} as it is read:
 * a model is trained, scored and decoded in IOB2 only, so {@code tag}, {@code serve} and the scorer read one
 * scheme, and the model's {@code config.json} says so ({@code "xner_tag_scheme": "IOB2"}).
 *
 * <ul>
 *   <li>{@link #IOB1}: {@code I-X} inside and at the start of an entity; {@code B-X} only where an entity
 *       follows another of its type (CoNLL-2003's original files).</li>
 *   <li>{@link #IOB2}: {@code B-X} starts every entity, {@code I-X} continues it (PAN-X, CoNLL-2002).</li>
 *   <li>{@link #IOBES}: as IOB2, plus {@code E-X} for the last word and {@code S-X} for a one-word entity
 *       (also written BIOES).</li>
 *   <li>{@link #BILOU}: {@code B-}, {@code I-}, {@code L-} (last), {@code U-} (unit), {@code O}.</li>
 * </ul>
 */
public enum TagScheme {
    IOB1("BI"), IOB2("BI"), IOBES("BIES"), BILOU("BILU");

    private final String prefixes;

    TagScheme(String prefixes) {
        this.prefixes = prefixes;
    }

    /** The scheme named {@code name}: IOB1, IOB2 (or BIO), IOBES (or BIOES), BILOU; case ignored. */
    public static TagScheme parse(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "IOB1" -> IOB1;
            case "IOB2", "BIO" -> IOB2;
            case "IOBES", "BIOES" -> IOBES;
            case "BILOU" -> BILOU;
            default -> throw new XnerInputException("--scheme: expected IOB1, IOB2, IOBES or BILOU, got \"" + name + "\"");
        };
    }

    /**
     * The scheme the tags of {@code sentences} are written in: BILOU when an {@code L-} or {@code U-} tag
     * occurs, IOBES when an {@code E-} or {@code S-} does, else IOB1 when some {@code I-X} opens an entity
     * (after {@code O}, another type, or at a sentence's start), else IOB2. Tags must be well formed
     * ({@link #checkTag}); a file that mixes E/S with L/U prefixes is refused by the conversion.
     */
    public static TagScheme detect(Collection<RawSentence> sentences) {
        boolean bilou = false;
        boolean iobes = false;
        boolean opensWithI = false;
        for (RawSentence s : sentences) {
            String previous = "O";
            for (String tag : s.tags()) {
                if (tag.isEmpty()) continue; // refused by the conversion, with its line
                char prefix = tag.charAt(0);
                if (prefix == 'L' || prefix == 'U') bilou = true;
                if (prefix == 'E' || prefix == 'S') iobes = true;
                if (prefix == 'I' && !continues(previous, type(tag))) opensWithI = true;
                previous = tag;
            }
        }
        if (bilou) return BILOU;
        if (iobes) return IOBES;
        return opensWithI ? IOB1 : IOB2;
    }

    /**
     * Where {@link #detect} found the tag that chose {@code scheme}, as {@code file:line "TAG"} with what it did:
     * the first {@code I-X} that opens an entity (IOB1), the first {@code E-}/{@code S-} (IOBES) or {@code L-}/{@code U-}
     * (BILOU) tag; empty for IOB2, which nothing has to decide. A single stray {@code I-X} after {@code O} makes a file
     * IOB1, so the report names it.
     */
    public static java.util.Optional<String> evidence(Collection<RawSentence> sentences, TagScheme scheme) {
        for (RawSentence s : sentences) {
            String previous = "O";
            for (int i = 0; i < s.tags().size(); i++) {
                String tag = s.tags().get(i);
                if (tag.isEmpty()) continue;
                char prefix = tag.charAt(0);
                boolean decides = switch (scheme) {
                    case BILOU -> prefix == 'L' || prefix == 'U';
                    case IOBES -> prefix == 'E' || prefix == 'S';
                    case IOB1 -> prefix == 'I' && !continues(previous, type(tag));
                    case IOB2 -> false;
                };
                if (decides) {
                    return java.util.Optional.of(s.sources().get(i).at("\"" + tag + "\""
                            + (scheme == IOB1 ? " opens an entity after \"" + previous + "\"" : "")));
                }
                previous = tag;
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Refuses a tag that is neither {@code O} nor {@code P-TYPE} with a prefix of this scheme and a type:
     * {@code B-}, {@code X-PER}, {@code PER}. {@code where} locates the message.
     */
    public void checkTag(String tag, Source where) {
        if (tag.equals("O")) return;
        int dash = tag.indexOf('-');
        if (dash != 1 || prefixes.indexOf(tag.charAt(0)) < 0) {
            throw new XnerInputException(where.at("tag \"" + tag + "\" is not O or " + String.join("-, ", prefixes.split(""))
                    + "- followed by a type (" + this + "); if the tag is in another column, give --tag-column N"));
        }
        if (tag.length() == 2) throw new XnerInputException(where.at("tag \"" + tag + "\" has no entity type after the prefix"));
    }

    /**
     * {@code sentence}'s tags in IOB2. IOB1: an {@code I-X} that does not continue an {@code X} entity becomes
     * {@code B-X}. IOB2: an {@code I-X} must continue an {@code X} entity. IOBES / BILOU: {@code S-}/{@code U-}
     * become {@code B-}, {@code E-}/{@code L-} become {@code I-}; {@code I-} and {@code E-}/{@code L-} must
     * continue an entity of their type. Every violation names the word's file and line.
     */
    public List<String> toIob2(RawSentence sentence) {
        List<String> out = new ArrayList<>(sentence.size());
        String previous = "O"; // in this scheme, as read
        for (int i = 0; i < sentence.size(); i++) {
            String tag = sentence.tags().get(i);
            Source where = sentence.sources().get(i);
            checkTag(tag, where);
            char prefix = tag.charAt(0);
            String type = tag.equals("O") ? "" : type(tag);
            boolean open = openBefore(previous, type);
            String converted = switch (prefix) {
                case 'O' -> "O";
                case 'B' -> "B-" + type;
                case 'S', 'U' -> "B-" + type;
                case 'I' -> {
                    if (open) yield "I-" + type;
                    if (this == IOB1) yield "B-" + type;
                    throw notOpened(tag, where, this == IOB2 ? "; read with --scheme IOB1 if I- may open an entity" : "");
                }
                default -> { // E, L
                    if (!open) throw notOpened(tag, where, "");
                    yield "I-" + type;
                }
            };
            out.add(converted);
            previous = tag;
        }
        return out;
    }

    /** Whether, after {@code previous} (a tag of this scheme), an entity of {@code type} is still open. */
    private boolean openBefore(String previous, String type) {
        if (previous.equals("O") || type.isEmpty()) return false;
        char p = previous.charAt(0);
        if (p == 'E' || p == 'S' || p == 'L' || p == 'U') return false; // those close their entity
        return type(previous).equals(type);
    }

    private XnerInputException notOpened(String tag, Source where, String hint) {
        return new XnerInputException(where.at("tag \"" + tag + "\" continues a " + type(tag)
                + " entity that was not opened (" + this + ")" + hint));
    }

    private static boolean continues(String previous, String type) {
        return !previous.equals("O") && previous.length() > 2 && type(previous).equals(type);
    }

    /** The entity type of a well-formed tag other than O: the text after {@code P-}. */
    static String type(String tag) {
        return tag.length() > 2 ? tag.substring(2) : "";
    }
}
