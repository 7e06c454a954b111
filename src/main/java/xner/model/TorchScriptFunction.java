package xner.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A function of one tensor written in TorchScript, for the few libtorch operations DJL 0.35 cannot call
 * ({@link Bfloat16}'s casts, {@link Functional#dropout}'s mask). Autograd records it as any other operation.
 *
 * <p>The TorchScript archive is written here, in memory, as {@code torch.jit.save} writes a stateless module: a
 * zip of the function's source, a pickled module object, and the format version. It is loaded at first use and
 * kept while the process runs (it holds no tensors).
 */
final class TorchScriptFunction {
    private static final String GRAPH_OPTIMIZER = "ai.djl.pytorch.graph_optimizer";

    private final String name;
    private final String body;
    private volatile Block block;
    private Model model; // held: DJL closes a model the garbage collector finds unreferenced, and its block with it

    /**
     * @param name a name for messages
     * @param body the function's body over its argument {@code x: Tensor}, in TorchScript's serialized form
     *             (number types by code: 6 is torch.float32, 15 torch.bfloat16), e.g. {@code return torch.to(x, 15)};
     *             lines without indentation
     */
    TorchScriptFunction(String name, String body) {
        this.name = name;
        this.body = body;
    }

    /** The function of {@code x}; the result joins {@code x}'s scope. */
    NDArray apply(NDArray x) {
        // DJL passes an array whose name has a dot (every parameter's) as a dictionary entry: pass an unnamed view
        NDArray input = x.getName() == null ? x : x.reshape(x.getShape());
        try {
            NDArray result = block().forward(new ParameterStore(x.getManager(), false), new NDList(input), true)
                    .singletonOrThrow();
            result.attach(x.getManager());
            return result;
        } finally {
            if (input != x) input.close(); // the handle only: autograd keeps what it needs
        }
    }

    private Block block() {
        Block b = block;
        if (b != null) return b;
        synchronized (this) {
            if (block == null) block = load();
            return block;
        }
    }

    private Block load() {
        // TorchScript's profiling executor would specialise a function on its first inputs; plain execution suffices
        // for a few operations (DJL applies this property before every call; xner runs no other TorchScript)
        if (System.getProperty(GRAPH_OPTIMIZER) == null) System.setProperty(GRAPH_OPTIMIZER, "false");
        model = Model.newInstance("xner-" + name, Device.cpu(), "PyTorch");
        try {
            model.load(new ByteArrayInputStream(archive(body)));
        } catch (IOException | MalformedModelException e) {
            model.close();
            model = null;
            throw new IllegalStateException("libtorch did not load " + name + " (TorchScript): " + e.getMessage(), e);
        }
        return model.getBlock();
    }

    /** The TorchScript archive of a module whose forward is {@code body}, as {@code torch.jit.save} writes it. */
    static byte[] archive(String body) {
        String source = """
                class Function(Module):
                  __parameters__ = []
                  __buffers__ = []
                  training : bool
                  def forward(self: __torch__.Function,
                    x: Tensor) -> Tensor:
                %s
                """.formatted(body.strip().indent(4).stripTrailing());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "function/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(zip, "function/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // pickle of ()
            stored(zip, "function/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            stored(zip, "function/data.pkl", moduleObject());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    /** Pickle (protocol 2) of a {@code __torch__.Function} object whose state is {@code {"training": True}}. */
    private static byte[] moduleObject() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2});                                   // PROTO 2
        p.writeBytes("c__torch__\nFunction\n".getBytes(StandardCharsets.US_ASCII));   // GLOBAL
        p.writeBytes(new byte[] {')', (byte) 0x81, '}', '('});                      // EMPTY_TUPLE NEWOBJ EMPTY_DICT MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.writeBytes(new byte[] {'X', (byte) key.length, 0, 0, 0});                 // BINUNICODE
        p.writeBytes(key);
        p.writeBytes(new byte[] {(byte) 0x88, 'u', 'b', '.'});                       // NEWTRUE SETITEMS BUILD STOP
        return p.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
