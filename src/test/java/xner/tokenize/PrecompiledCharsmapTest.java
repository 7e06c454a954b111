package xner.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import xner.XnerInputException;

/**
 * A character map the tokenizers library would index out of bounds with is refused before it gets it (a Rust panic
 * under JNI aborts the JVM: found fuzzing the SentencePiece model). Tries of 256 units written by hand: unit 0 is the
 * root, whose offset says where its children are (node ^ byte).
 */
class PrecompiledCharsmapTest {
    @Test
    void aTrainedModelsMapPasses() throws IOException {
        try (InputStream in = PrecompiledCharsmapTest.class.getResourceAsStream("tiny-unigram.model")) {
            byte[] charsmap = SentencePieceModel.parse(in.readAllBytes(), Path.of("tiny-unigram.model")).precompiledCharsmap();
            assertEquals(1039, charsmap.length);
            PrecompiledCharsmap.check(charsmap, "tiny");
        }
    }

    @Test
    void aMapWithoutRulesPasses() {
        PrecompiledCharsmap.check(charsmap(new int[256], new byte[0]), "empty");
    }

    @Test
    void aChildPastTheTrieIsRefusedNamingTheUnitThatLedThere() {
        int[] trie = new int[256];
        trie[0] = 300 << 10; // the root's children at 300 ^ byte: past 256 units
        assertEquals("m, byte 4: unit 0 leads to 300, whose byte 1 is unit 301, past the trie's 256 units; not a SentencePiece "
                + "normalizer the tokenizers library can run", refused(charsmap(trie, new byte[0])));
    }

    @Test
    void aReplacementPastTheTextsOrInsideACharacterIsRefused() {
        int[] trie = new int[256];
        trie[65] = 65 | 1 << 8 | 65 << 10; // byte 'A' at unit 65 (root 0 ^ 65), a leaf whose value is at 65 ^ 65 = unit 0
        trie[0] = 5;                      // the value: byte 5 of the replacements (the root's offset stays 0)
        assertEquals("m, byte 4: unit 0 gives the replacement at byte 5, which is past the 2 bytes of replacements; not a "
                + "SentencePiece normalizer the tokenizers library can run", refused(charsmap(trie, new byte[] {'a', 0})));
        trie[0] = 1;
        assertEquals("m, byte 4: unit 0 gives the replacement at byte 1, which is inside a character; not a SentencePiece "
                + "normalizer the tokenizers library can run", refused(charsmap(trie, "é\0".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        trie[0] = 0;
        PrecompiledCharsmap.check(charsmap(trie, "é\0".getBytes(java.nio.charset.StandardCharsets.UTF_8)), "m"); // A → é
    }

    @Test
    void aMapShorterThanItsTrieIsRefused() {
        assertEquals("m, byte 0: a trie of 1024 bytes in 8 bytes; not a SentencePiece normalizer the tokenizers library can run",
                refused(java.util.Arrays.copyOf(charsmap(new int[256], new byte[0]), 12)));
    }

    private static String refused(byte[] charsmap) {
        return assertThrows(XnerInputException.class, () -> PrecompiledCharsmap.check(charsmap, "m")).getMessage();
    }

    private static byte[] charsmap(int[] trie, byte[] texts) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * trie.length + texts.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4 * trie.length);
        for (int unit : trie) b.putInt(unit);
        return b.put(texts).array();
    }
}
