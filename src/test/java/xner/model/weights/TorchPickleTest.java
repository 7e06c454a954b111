package xner.model.weights;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import xner.XnerInputException;

/** The pickle reader runs no code: only the globals a PyTorch checkpoint needs are allowed. */
class TorchPickleTest {
    @Test
    void aGlobalOutsideTheAllowListIsRefusedWhateverItIs() {
        // protocol 2: GLOBAL 'builtins eval', then a tuple and REDUCE, as a hand-made attack would be
        byte[] pickle = "\u0080\u0002cbuiltins\neval\nX\u0004\u0000\u0000\u00001+1\u0085R.".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        XnerInputException e = assertThrows(XnerInputException.class,
                () -> TorchPickle.load(ByteBuffer.wrap(pickle), "test.pkl", id -> null));

        assertTrue(e.getMessage().startsWith("test.pkl: refuses the global builtins.eval"), e.getMessage());
    }
}
