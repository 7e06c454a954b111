package xner.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.data.Sentence;

class SyntheticSentencesTest {
    @Test
    void theSameSeedGivesTheSameSentences() {
        assertEquals(SyntheticSentences.german(30, 7).sentences(), SyntheticSentences.german(30, 7).sentences());
    }

    @Test
    void tagsAreIob2WithEveryEntityTypeAndSourcesCountLinesAsPanxDoes() {
        Dataset german = SyntheticSentences.german(50, 1);
        Set<String> seen = new TreeSet<>();
        int line = 1;
        for (Sentence s : german) {
            assertEquals("synthetic/de/train:" + line, s.source().toString().replace('\\', '/'));
            line += s.words().size() + 1;
            List<String> tags = s.tags();
            for (int i = 0; i < tags.size(); i++) {
                String tag = tags.get(i);
                assertTrue(LabelSet.PANX.names().contains(tag), tag);
                seen.add(tag);
                if (tag.startsWith("I-")) {
                    String before = i == 0 ? "O" : tags.get(i - 1);
                    assertTrue(before.endsWith(tag.substring(2)) && !before.equals("O"), s.words() + " " + tags);
                }
            }
        }
        assertEquals(new TreeSet<>(LabelSet.PANX.names()), seen);
    }
}
