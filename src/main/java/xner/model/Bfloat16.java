package xner.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
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
 * Casts between fp32 and bfloat16 that autograd records, which DJL 0.35 cannot ask libtorch for: its table of
 * number types stops before bfloat16 ({@code toType(DataType.BFLOAT16)} aborts the process in native code), and
 * its {@code toType} returns an array cut off from autograd (a gradient never flows back through it). libtorch
 * itself casts fine, so each cast runs as a one-line TorchScript function, {@code torch.to(x, dtype)}, which DJL
 * can load and call and autograd records like any other operation: the gradient of a bf16 copy comes back to its
 * fp32 array as fp32.
 *
 * <p>The TorchScript archives are written here, in memory: a zip of the function's source, a pickled module
 * object without state, and the format version, as {@code torch.jit.save} writes them. DJL reports a bf16
 * array's type as {@link DataType#UNKNOWN}; nothing in xner reads a bf16 array's values from Java.
 */
final class Bfloat16 {
    // TorchScript's serialized code names number types by code: 15 is torch.bfloat16, 6 torch.float32
    private static final Cast TO_BF16 = new Cast(15);
    private static final Cast TO_FP32 = new Cast(6);
    private static final String GRAPH_OPTIMIZER = "ai.djl.pytorch.graph_optimizer";

    private Bfloat16() {}

    /** {@code x} as bfloat16, in {@code x}'s scope; {@code x} itself when it is not fp32 (already cast). */
    static NDArray of(NDArray x) {
        return x.getDataType() == DataType.FLOAT32 ? TO_BF16.apply(x) : x;
    }

    /** {@code x} as fp32, in {@code x}'s scope; {@code x} itself when it is fp32. */
    static NDArray toFloat32(NDArray x) {
        return x.getDataType() == DataType.FLOAT32 ? x : TO_FP32.apply(x);
    }

    /** One cast: its TorchScript function, loaded at first use and kept while the process runs (it holds no tensors). */
    private static final class Cast {
        private final int scalarType;
        private volatile Block block;
        private Model model; // held: DJL closes a model the garbage collector finds unreferenced, and its block with it

        Cast(int scalarType) {
            this.scalarType = scalarType;
        }

        NDArray apply(NDArray x) {
            // DJL passes an array whose name has a dot (every parameter's) as a dictionary entry: pass an unnamed view
            NDArray input = x.getName() == null ? x : x.reshape(x.getShape());
            try {
                NDArray cast = block().forward(new ParameterStore(x.getManager(), false), new NDList(input), true)
                        .singletonOrThrow();
                cast.attach(x.getManager());
                return cast;
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
            // TorchScript's profiling executor would specialise the function on its first inputs; plain execution
            // suffices for one operation (DJL applies this property before every call; xner runs no other TorchScript)
            if (System.getProperty(GRAPH_OPTIMIZER) == null) System.setProperty(GRAPH_OPTIMIZER, "false");
            model = Model.newInstance("xner-cast-" + scalarType, Device.cpu(), "PyTorch");
            try {
                model.load(new ByteArrayInputStream(archive(scalarType)));
            } catch (IOException | MalformedModelException e) {
                model.close();
                model = null;
                throw new IllegalStateException("libtorch did not load the cast to type " + scalarType + " (TorchScript): "
                        + e.getMessage(), e);
            }
            return model.getBlock();
        }
    }

    /** The TorchScript archive of a module whose forward is {@code torch.to(x, scalarType)}, as {@code torch.jit.save} writes it. */
    static byte[] archive(int scalarType) {
        String source = """
                class Cast(Module):
                  __parameters__ = []
                  __buffers__ = []
                  training : bool
                  def forward(self: __torch__.Cast,
                    x: Tensor) -> Tensor:
                    return torch.to(x, %d)
                """.formatted(scalarType);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "cast/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(zip, "cast/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // pickle of ()
            stored(zip, "cast/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            stored(zip, "cast/data.pkl", moduleObject());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    /** Pickle (protocol 2) of a {@code __torch__.Cast} object whose state is {@code {"training": True}}. */
    private static byte[] moduleObject() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2});                                   // PROTO 2
        p.writeBytes("c__torch__\nCast\n".getBytes(StandardCharsets.US_ASCII));       // GLOBAL
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
