package xner.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xner.XnerInputException;

/**
 * Renames or drops entity types of IOB2 tags, for a corpus whose types do not match the task:
 * {@code --map-labels PERderiv=O,PERpart=O,PERSON=PER} and {@code --keep-types PER,ORG,LOC}.
 *
 * <p>A key is a type ({@code PERderiv}: all its tags) or a whole tag ({@code B-PERderiv}); a value is
 * {@code O}, a type, or a whole tag. A whole-tag key wins over a type key. After mapping, a type outside
 * {@code keep} (when given) becomes {@code O}, and an {@code I-X} that no longer continues an {@code X}
 * entity becomes {@code B-X}, so every entity still starts with {@code B-}.
 *
 * @param map  tag or type → tag, type or {@code O}
 * @param keep the types kept (empty: all)
 */
public record LabelMapping(Map<String, String> map, Set<String> keep) {
    public static final LabelMapping NONE = new LabelMapping(Map.of(), Set.of());

    public LabelMapping {
        map = Map.copyOf(map);
        keep = Set.copyOf(keep);
    }

    /**
     * A mapping from {@code --map-labels} (comma-separated {@code KEY=VALUE} pairs, or a file of them, one a
     * line, {@code #} comments) and {@code --keep-types} (comma-separated types).
     */
    public static LabelMapping parse(String mapping, List<String> keepTypes) {
        Map<String, String> map = new LinkedHashMap<>();
        if (mapping != null && !mapping.isBlank()) {
            List<String> pairs = new ArrayList<>();
            String origin = "--map-labels";
            Path file = Path.of(mapping);
            if (!mapping.contains("=") && Files.isRegularFile(file)) {
                origin = file.toString();
                try {
                    for (String line : Files.readAllLines(file)) pairs.add(line.strip());
                } catch (IOException e) {
                    throw new XnerInputException(file + ": cannot read: " + e.getMessage(), e);
                }
            } else {
                for (String p : mapping.split(",")) pairs.add(p.strip());
            }
            for (int i = 0; i < pairs.size(); i++) {
                String pair = pairs.get(i);
                if (pair.isEmpty() || pair.startsWith("#")) continue;
                String where = origin.equals("--map-labels") ? "--map-labels" : origin + ":" + (i + 1);
                String[] kv = pair.split("[=\\t]", -1);
                if (kv.length != 2 || kv[0].strip().isEmpty() || kv[1].strip().isEmpty()) {
                    throw new XnerInputException(where + ": expected FROM=TO (a type or tag, and O, a type or a tag), found \""
                            + pair + "\"");
                }
                String from = kv[0].strip();
                if (map.containsKey(from)) throw new XnerInputException(where + ": \"" + from + "\" is mapped twice");
                map.put(from, kv[1].strip());
            }
        }
        Set<String> keep = new LinkedHashSet<>();
        if (keepTypes != null) {
            for (String t : keepTypes) {
                String type = t.strip();
                if (type.isEmpty()) continue;
                if (type.equals("O") || type.matches("[A-Z]-.+")) {
                    throw new XnerInputException("--keep-types: expected entity types such as PER, found the tag \"" + type + "\"");
                }
                keep.add(type);
            }
        }
        return new LabelMapping(map, keep);
    }

    public boolean isIdentity() {
        return map.isEmpty() && keep.isEmpty();
    }

    /** {@code tags} (IOB2) with types renamed and dropped, and entities that now start with I- repaired. */
    public List<String> apply(List<String> tags) {
        if (isIdentity()) return tags;
        List<String> out = new ArrayList<>(tags.size());
        String previous = "O";
        for (String tag : tags) {
            String mapped = mapOne(tag);
            if (mapped.startsWith("I-") && !(previous.length() > 2 && previous.substring(2).equals(mapped.substring(2)))) {
                mapped = "B-" + mapped.substring(2);
            }
            out.add(mapped);
            previous = mapped;
        }
        return out;
    }

    /** One IOB2 tag mapped, without the repair of {@link #apply}. */
    public String mapOne(String tag) {
        if (tag.equals("O")) return map.getOrDefault("O", "O");
        String prefix = tag.substring(0, 2);
        String type = tag.substring(2);
        String mapped;
        if (map.containsKey(tag)) mapped = map.get(tag);
        else if (map.containsKey(type)) mapped = map.get(type);
        else mapped = tag;
        if (!mapped.equals("O") && !(mapped.length() > 2 && mapped.charAt(1) == '-')) mapped = prefix + mapped; // a type
        if (!keep.isEmpty() && !mapped.equals("O") && !keep.contains(mapped.substring(2))) mapped = "O";
        return mapped;
    }
}
