package xner.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import xner.XnerInputException;
import xner.model.weights.TorchPickle.Dtype;
import xner.model.weights.TorchPickle.Storage;
import xner.model.weights.TorchPickle.Tensor;

/**
 * A state dict as {@code torch.save} writes it ({@code pytorch_model.bin}), read without Python and without running
 * anything the file names.
 *
 * <p>Two layouts, told apart by their first bytes:
 * <ul>
 *   <li>the zip archive of PyTorch 1.6 and later: {@code NAME/data.pkl}, a pickle of the dict whose tensors refer to
 *       storages by key (persistent ids {@code ('storage', torch.FloatStorage, KEY, 'cpu', NUMEL)}), and each storage's
 *       raw little-endian bytes in {@code NAME/data/KEY} ({@code NAME/byteorder}, where present, must say
 *       {@code little});</li>
 *   <li>the legacy stream of earlier versions: pickles of a magic number, the protocol version 1001 and the system's
 *       sizes, then the dict (persistent ids with a sixth element, a view, which must be None), then the list of storage
 *       keys, then for each key its element count (8 bytes, little-endian) and raw bytes.</li>
 * </ul>
 * The pickles are read by {@link TorchPickle}, which builds tensors and plain containers only and refuses any other
 * global, as {@code torch.load(weights_only=True)}. Every tensor is checked against its storage when the file opens.
 * Float tensors (F32, F16, BF16, F64) read as float32; strided views are gathered into row-major order.
 */
public final class PyTorchReader implements WeightReader {
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL = 1001;

    /** Where the bytes of each storage are: entries of the zip, or ranges of the legacy file. */
    private interface Storages extends AutoCloseable {
        /** {@code length} bytes of storage {@code key} from byte {@code from} on. */
        ByteBuffer read(String key, long from, int length, boolean direct) throws IOException;

        /** The storage's size in bytes, or -1 when it has none of this key. */
        long size(String key);

        @Override
        void close() throws IOException;
    }

    private final Path file;
    private final Map<String, Tensor> tensors;
    private final Storages storages;

    private PyTorchReader(Path file, Map<String, Tensor> tensors, Storages storages) {
        this.file = file;
        this.tensors = tensors;
        this.storages = storages;
    }

    /**
     * Opens a {@code torch.save} file of a state dict and checks every tensor against its storage.
     *
     * @throws XnerInputException when the file is missing, not a state dict, names a global outside the allow-list
     *                            (a file that would run code when loaded in Python), or is inconsistent
     */
    public static PyTorchReader open(Path file) {
        byte[] head = new byte[4];
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 4);
            if (n < 4) throw new XnerInputException(file + ": " + n + " bytes, too short for a PyTorch file");
        } catch (NoSuchFileException e) {
            throw new XnerInputException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return openZip(file);
        if ((head[0] & 0xff) == 0x80) return openLegacy(file);
        throw new XnerInputException(file + ": neither PyTorch's zip format nor its legacy pickle (first bytes "
                + java.util.HexFormat.of().formatHex(head) + ")");
    }

    private static PyTorchReader openZip(Path file) {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            throw new XnerInputException(file + ": not a readable zip archive (" + e.getMessage() + "); a truncated download?", e);
        }
        try {
            // torch names the archive's folder after the file it saved to: find the one holding data.pkl
            String prefix = null;
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                    prefix = name.substring(0, name.length() - "data.pkl".length());
                    break;
                }
            }
            if (prefix == null) throw new XnerInputException(file + ": a zip archive without NAME/data.pkl; not a torch.save file");
            ZipEntry byteOrder = zip.getEntry(prefix + "byteorder");
            if (byteOrder != null) {
                String order = new String(zip.getInputStream(byteOrder).readAllBytes(), StandardCharsets.US_ASCII).strip();
                if (!order.equals("little")) throw new XnerInputException(file + ": storages are " + order + "-endian; xner reads little-endian ones");
            }
            String where = file + " (" + prefix + "data.pkl)";
            ByteBuffer pickle = ByteBuffer.wrap(zip.getInputStream(zip.getEntry(prefix + "data.pkl")).readAllBytes());
            Object root = TorchPickle.load(pickle, where, id -> storage(id, 5, where));
            ZipStorages storages = new ZipStorages(zip, prefix);
            return checked(file, where, root, storages);
        } catch (IOException e) {
            closeQuietly(zip);
            throw new XnerInputException(file + ": cannot read the archive (" + e.getMessage() + "); a truncated download?", e);
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
    }

    private static PyTorchReader openLegacy(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
        try {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new XnerInputException(file + ": a legacy (before PyTorch 1.6) file of " + size + " bytes; xner reads "
                        + "those up to 2 GB; save it again with a newer PyTorch");
            }
            ByteBuffer all = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            String where = file + " (PyTorch's legacy format)";
            Object magic = TorchPickle.load(all, where, id -> refuse(where, "a persistent id in the header"));
            if (!LEGACY_MAGIC.equals(magic)) throw new XnerInputException(file + ": starts with a pickle but not PyTorch's magic number");
            Object protocol = TorchPickle.load(all, where, id -> refuse(where, "a persistent id in the header"));
            if (!Long.valueOf(LEGACY_PROTOCOL).equals(protocol)) {
                throw new XnerInputException(where + ": protocol version " + protocol + ", expected " + LEGACY_PROTOCOL);
            }
            Object sysInfo = TorchPickle.load(all, where, id -> refuse(where, "a persistent id in the header"));
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw new XnerInputException(where + ": written on a big-endian machine; xner reads little-endian ones");
            }
            Object root = TorchPickle.load(all, where, id -> storage(id, 6, where));
            Object keys = TorchPickle.load(all, where, id -> refuse(where, "a persistent id in the key list"));
            if (!(keys instanceof List<?> keyList)) throw new XnerInputException(where + ": no list of storage keys after the dict");
            // each storage: its element count, then its bytes; the element size is the dtype's, from the dict
            Map<String, Dtype> dtypes = new HashMap<>();
            if (root instanceof Map<?, ?> dict) {
                for (Object v : dict.values()) if (v instanceof Tensor t) dtypes.put(t.storage().key(), t.storage().dtype());
            }
            Map<String, long[]> ranges = new HashMap<>();
            all.order(ByteOrder.LITTLE_ENDIAN);
            for (Object key : keyList) {
                Dtype dtype = dtypes.get(String.valueOf(key));
                if (dtype == null) throw new XnerInputException(where + ": storage " + key + " belongs to no tensor");
                long numel = all.getLong();
                long bytes = numel * dtype.bytes;
                if (numel < 0 || bytes > all.remaining()) {
                    throw new XnerInputException(where + ": storage " + key + " of " + numel + " elements runs past the end of the file; a truncated download?");
                }
                ranges.put(String.valueOf(key), new long[] {all.position(), bytes});
                all.position(Math.toIntExact(all.position() + bytes));
            }
            return checked(file, where, root, new LegacyStorages(channel, ranges));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The storage a persistent id names: {@code ('storage', StorageType, key, location, numel[, view])}. */
    private static Storage storage(List<Object> id, int elements, String where) {
        if (id.size() != elements || !"storage".equals(id.get(0))) {
            throw new XnerInputException(where + ": a persistent id " + id + " that is not a storage of PyTorch's");
        }
        Dtype dtype = TorchPickle.storageDtype(id.get(1));
        if (dtype == null) throw new XnerInputException(where + ": a storage of unknown type " + id.get(1));
        if (elements == 6 && id.get(5) != null) {
            throw new XnerInputException(where + ": a view of a storage (PyTorch before 0.4); save the model again with a newer PyTorch");
        }
        return new Storage(String.valueOf(id.get(2)), dtype, (Long) id.get(4));
    }

    private static Storage refuse(String where, String what) {
        throw new XnerInputException(where + ": " + what + "; not a state dict of PyTorch's");
    }

    /** The reader over {@code root}, once each of its tensors lies inside its storage. */
    private static PyTorchReader checked(Path file, String where, Object root, Storages storages) {
        if (!(root instanceof Map<?, ?> dict)) {
            throw new XnerInputException(where + ": holds a " + (root == null ? "None" : root.getClass().getSimpleName())
                    + ", not a state dict (a dict of tensors)");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof Tensor tensor)) {
                throw new XnerInputException(where + ": entry " + e.getKey() + " is " + (e.getValue() == null ? "None"
                        : e.getValue().getClass().getSimpleName()) + ", not a tensor; a state dict holds tensors only");
            }
            long available = storages.size(tensor.storage().key());
            if (available < 0) throw new XnerInputException(where + ": tensor \"" + name + "\": its storage "
                    + tensor.storage().key() + " is not in the file; a truncated download?");
            long last = tensor.offset(); // the last element the view reaches
            for (int i = 0; i < tensor.size().length; i++) {
                if (tensor.size()[i] < 0 || tensor.stride()[i] < 0) throw new XnerInputException(where + ": tensor \"" + name
                        + "\": size " + Arrays.toString(tensor.size()) + ", stride " + Arrays.toString(tensor.stride()));
                if (tensor.size()[i] == 0) last = -1;
                else if (last >= 0) last += (tensor.size()[i] - 1) * tensor.stride()[i];
            }
            if (last >= 0 && (last + 1) * tensor.storage().dtype().bytes > available) {
                throw new XnerInputException(where + ": tensor \"" + name + "\" reaches element " + last + " of storage "
                        + tensor.storage().key() + ", which holds " + available / tensor.storage().dtype().bytes
                        + "; a truncated or damaged file?");
            }
            tensors.put(name, tensor);
        }
        return new PyTorchReader(file, Collections.unmodifiableMap(tensors), storages);
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public Shape shape(String name) {
        return new Shape(tensor(name).size());
    }

    @Override
    public float[] read(String name) {
        Tensor t = tensor(name);
        ByteBuffer bytes = rowMajor(name, t, false);
        int n = Math.toIntExact(t.numel());
        float[] out = new float[n];
        switch (t.storage().dtype()) {
            case F32 -> bytes.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < n; i++) out[i] = (float) bytes.getDouble();
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((bytes.getShort() & 0xffff) << 16);
            }
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = SafetensorsReader.halfToFloat(bytes.getShort());
            }
            default -> throw new XnerInputException(file + ": tensor \"" + name + "\" is " + t.storage().dtype()
                    + ", not a float tensor");
        }
        return out;
    }

    @Override
    public NDArray read(NDManager manager, String name) {
        Tensor t = tensor(name);
        if (t.storage().dtype() != Dtype.F32) return WeightReader.super.read(manager, name);
        // a direct buffer becomes the tensor's storage without another copy
        return manager.create(rowMajor(name, t, true), new Shape(t.size()), DataType.FLOAT32);
    }

    @Override
    public void close() {
        try {
            storages.close();
        } catch (IOException e) {
            // closing a file we only read: nothing to lose
        }
    }

    private Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw missing(name);
        return t;
    }

    /** The tensor's bytes in row-major order, little-endian: read as they lie when contiguous, else gathered. */
    private ByteBuffer rowMajor(String name, Tensor t, boolean direct) {
        int width = t.storage().dtype().bytes;
        long numel = t.numel();
        try {
            if (numel == 0) return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
            if (t.isContiguous()) {
                return storages.read(t.storage().key(), t.offset() * width, Math.toIntExact(numel * width), direct)
                        .order(ByteOrder.LITTLE_ENDIAN);
            }
            long last = t.offset();
            for (int i = 0; i < t.size().length; i++) last += (t.size()[i] - 1) * t.stride()[i];
            ByteBuffer span = storages.read(t.storage().key(), t.offset() * width, Math.toIntExact((last - t.offset() + 1) * width), false);
            ByteBuffer out = direct ? ByteBuffer.allocateDirect(Math.toIntExact(numel * width)) : ByteBuffer.allocate(Math.toIntExact(numel * width));
            long[] index = new long[t.size().length];
            byte[] element = new byte[width];
            for (long k = 0; k < numel; k++) {
                long at = 0;
                for (int i = 0; i < index.length; i++) at += index[i] * t.stride()[i];
                span.get(Math.toIntExact(at * width), element);
                out.put(element);
                for (int i = index.length - 1; i >= 0 && ++index[i] == t.size()[i]; i--) index[i] = 0; // odometer
            }
            return out.flip().order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tensor " + name + " from " + file, e);
        }
    }

    /** Storages as entries {@code PREFIX/data/KEY} of the zip; torch stores them uncompressed, so skipping is cheap. */
    private record ZipStorages(ZipFile zip, String prefix) implements Storages {
        @Override
        public ByteBuffer read(String key, long from, int length, boolean direct) throws IOException {
            ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);
            try (InputStream in = zip.getInputStream(zip.getEntry(prefix + "data/" + key))) {
                in.skipNBytes(from);
                ReadableByteChannel channel = Channels.newChannel(in);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer) < 0) throw new IOException("storage " + key + " ends early");
                }
            }
            return buffer.flip();
        }

        @Override
        public long size(String key) {
            ZipEntry entry = zip.getEntry(prefix + "data/" + key);
            return entry == null ? -1 : entry.getSize();
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    /** Storages as byte ranges {position, length} of the legacy file. */
    private record LegacyStorages(FileChannel channel, Map<String, long[]> ranges) implements Storages {
        @Override
        public ByteBuffer read(String key, long from, int length, boolean direct) throws IOException {
            ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);
            long at = ranges.get(key)[0] + from;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, at);
                if (n < 0) throw new IOException("storage " + key + " ends early");
                at += n;
            }
            return buffer.flip();
        }

        @Override
        public long size(String key) {
            long[] range = ranges.get(key);
            return range == null ? -1 : range[1];
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing: the first error is the one to report
        }
    }
}
