package xner.model.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import xner.XnerInputException;

/**
 * A restricted reader of the pickles PyTorch writes for {@code torch.save(state_dict)}: it builds tensors and plain
 * containers, nothing else, as {@code torch.load(weights_only=True)} does.
 *
 * <p>A pickle is a program for a stack machine, and Python's own unpickler calls whatever function a {@code GLOBAL}
 * names: {@code os.system} included. This one knows the opcodes PyTorch's pickles use (protocol 2, as
 * {@code torch.save} writes, and the protocol 4 framing opcodes) and admits a short list of globals: the tensor
 * rebuilders ({@code torch._utils._rebuild_tensor_v2} and kin), the storage types ({@code torch.FloatStorage}, ...)
 * and {@code collections.OrderedDict}. Any other global stops the reading at once, naming it: nothing named in a
 * pickle is ever called, looked up or loaded.
 *
 * <p>What comes out: a Python dict is a {@code LinkedHashMap} (insertion order, as Python's), a list or tuple a
 * {@code List}, an int a {@code Long}, a float a {@code Double}, a str a {@code String}, bytes a {@code byte[]}, None
 * null (an int wider than 64 bits a {@code BigInteger}), a tensor a {@link Tensor}.
 */
final class TorchPickle {
    /** A storage's element type, as PyTorch's storage class names it. */
    enum Dtype {
        F32(4), F64(8), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

        final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }
    }

    /** A storage a tensor views: its key in the archive ({@code data/KEY}) and element type; numel as pickled. */
    record Storage(String key, Dtype dtype, long numel) {}

    /** A tensor: a strided view of a storage, offsets and strides in elements. */
    record Tensor(Storage storage, long offset, long[] size, long[] stride) {
        long numel() {
            long n = 1;
            for (long s : size) n *= s;
            return n;
        }

        /** Whether the elements lie in row-major order without gaps (a size-1 axis may have any stride). */
        boolean isContiguous() {
            long expected = 1;
            for (int i = size.length - 1; i >= 0; i--) {
                if (size[i] != 1 && stride[i] != expected) return false;
                expected *= size[i];
            }
            return true;
        }
    }

    private static final Map<String, Dtype> STORAGES = Map.ofEntries(
            Map.entry("torch.FloatStorage", Dtype.F32), Map.entry("torch.DoubleStorage", Dtype.F64),
            Map.entry("torch.HalfStorage", Dtype.F16), Map.entry("torch.BFloat16Storage", Dtype.BF16),
            Map.entry("torch.LongStorage", Dtype.I64), Map.entry("torch.IntStorage", Dtype.I32),
            Map.entry("torch.ShortStorage", Dtype.I16), Map.entry("torch.CharStorage", Dtype.I8),
            Map.entry("torch.ByteStorage", Dtype.U8), Map.entry("torch.BoolStorage", Dtype.BOOL));

    /** The callable globals admitted besides the storage types, which are only ever named, never called. */
    private static final Set<String> CALLABLES = Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_tensor", "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state",
            "torch.Size", "_codecs.encode");

    /** A global the pickle named and the allow-list admitted. */
    private record Global(String name) {}

    private final ByteBuffer in;
    private final String where;
    private final Function<List<Object>, Storage> persistentLoad;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private TorchPickle(ByteBuffer in, String where, Function<List<Object>, Storage> persistentLoad) {
        this.in = in.order(ByteOrder.LITTLE_ENDIAN);
        this.where = where;
        this.persistentLoad = persistentLoad;
    }

    /**
     * Reads one pickle from {@code in}'s position up to its {@code STOP}, leaving the position after it.
     *
     * @param where          names the pickle in messages, e.g. {@code pytorch_model.bin (archive/data.pkl)}
     * @param persistentLoad turns a persistent id (PyTorch's {@code ('storage', StorageType, key, location, numel)})
     *                       into the storage it names
     * @throws XnerInputException naming {@code where}, for a global outside the allow-list, an unknown opcode or a
     *                            malformed pickle
     */
    static Object load(ByteBuffer in, String where, Function<List<Object>, Storage> persistentLoad) {
        try {
            return new TorchPickle(in, where, persistentLoad).run();
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new XnerInputException(where + ": the pickle ends early or is malformed at byte " + in.position());
        } catch (ClassCastException e) {
            throw new XnerInputException(where + ": the pickle is malformed near byte " + in.position() + " (" + e.getMessage() + ")");
        }
    }

    /** The dtype of a storage type's name ({@code torch.FloatStorage} → F32), or null. */
    static Dtype storageDtype(Object storageType) {
        return storageType instanceof Global g ? STORAGES.get(g.name()) : null;
    }

    private Object run() {
        while (true) {
            int at = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> in.get();                                   // PROTO n
                case 0x95 -> in.getLong();                               // FRAME size: framing only
                case '.' -> {                                            // STOP
                    return pop();
                }
                case '(' -> marks.add(stack.size());                     // MARK
                case '}' -> push(new LinkedHashMap<>());                 // EMPTY_DICT
                case ']' -> push(new ArrayList<>());                     // EMPTY_LIST
                case ')' -> push(Collections.emptyList());               // EMPTY_TUPLE
                case 't' -> push(tuple(popMark()));                      // TUPLE
                case 0x85 -> push(tuple(listOf(pop())));                 // TUPLE1
                case 0x86 -> {                                           // TUPLE2
                    Object b = pop();
                    Object a = pop();
                    push(tuple(listOf(a, b)));
                }
                case 0x87 -> {                                           // TUPLE3
                    Object c = pop();
                    Object b = pop();
                    Object a = pop();
                    push(tuple(listOf(a, b, c)));
                }
                case 'N' -> push(null);                                  // NONE
                case 0x88 -> push(Boolean.TRUE);                         // NEWTRUE
                case 0x89 -> push(Boolean.FALSE);                        // NEWFALSE
                case 'J' -> push((long) in.getInt());                    // BININT: 4 bytes, signed
                case 'K' -> push((long) (in.get() & 0xff));              // BININT1
                case 'M' -> push((long) (in.getShort() & 0xffff));       // BININT2
                case 0x8a -> push(longOf(in.get() & 0xff, at));          // LONG1
                case 0x8b -> push(longOf(in.getInt(), at));              // LONG4
                case 'G' -> {                                            // BINFLOAT: 8 bytes, big-endian
                    double value = in.order(ByteOrder.BIG_ENDIAN).getDouble();
                    in.order(ByteOrder.LITTLE_ENDIAN);
                    push(value);
                }
                case 'X' -> push(text(in.getInt(), StandardCharsets.UTF_8, at));          // BINUNICODE
                case 0x8c -> push(text(in.get() & 0xff, StandardCharsets.UTF_8, at));     // SHORT_BINUNICODE
                case 0x8d -> push(text(Math.toIntExact(in.getLong()), StandardCharsets.UTF_8, at)); // BINUNICODE8
                case 'T' -> push(text(in.getInt(), StandardCharsets.ISO_8859_1, at));     // BINSTRING
                case 'U' -> push(text(in.get() & 0xff, StandardCharsets.ISO_8859_1, at)); // SHORT_BINSTRING
                case 'B' -> push(bytes(in.getInt(), at));                                 // BINBYTES
                case 'C' -> push(bytes(in.get() & 0xff, at));                             // SHORT_BINBYTES
                case 0x8e -> push(bytes(Math.toIntExact(in.getLong()), at));              // BINBYTES8
                case 'q' -> memo.put((long) (in.get() & 0xff), top());                   // BINPUT
                case 'r' -> memo.put(in.getInt() & 0xffffffffL, top());                   // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), top());                         // MEMOIZE
                case 'h' -> push(memo((long) (in.get() & 0xff), at));                     // BINGET
                case 'j' -> push(memo(in.getInt() & 0xffffffffL, at));                    // LONG_BINGET
                case '0' -> pop();                                                        // POP
                case '1' -> popMark();                                                    // POP_MARK
                case '2' -> push(top());                                                  // DUP
                case 'c' -> push(global(line(), line()));                                 // GLOBAL module\nname\n
                case 0x93 -> {                                                            // STACK_GLOBAL
                    String name = (String) pop();
                    String module = (String) pop();
                    push(global(module, name));
                }
                case 'R', 0x81 -> {                                                       // REDUCE, NEWOBJ
                    List<?> args = (List<?>) pop();
                    push(call(pop(), args, at));
                }
                case 'Q' -> push(persistentLoad.apply(asList(pop(), at)));                // BINPERSID
                case 's' -> {                                                             // SETITEM
                    Object value = pop();
                    Object key = pop();
                    dict(top(), at).put(key, value);
                }
                case 'u' -> {                                                             // SETITEMS
                    List<Object> items = popMark();
                    Map<Object, Object> dict = dict(top(), at);
                    for (int i = 0; i + 1 < items.size(); i += 2) dict.put(items.get(i), items.get(i + 1));
                }
                case 'a' -> {                                                             // APPEND
                    Object value = pop();
                    list(top(), at).add(value);
                }
                case 'e' -> {                                                             // APPENDS
                    List<Object> items = popMark();
                    list(top(), at).addAll(items);
                }
                case 'b' -> build(pop(), top(), at);                                      // BUILD
                default -> throw new XnerInputException(where + ": pickle opcode 0x" + Integer.toHexString(op) + " at byte "
                        + at + " is not one PyTorch writes for weights; not read");
            }
        }
    }

    /** A global, if the allow-list admits it: the storage types and the callables; any other stops the reading. */
    private Global global(String module, String name) {
        String qualified = module + "." + name;
        if (STORAGES.containsKey(qualified) || CALLABLES.contains(qualified)) return new Global(qualified);
        throw new XnerInputException(where + ": refuses the global " + qualified + ": only tensors and plain containers are "
                + "read, as torch.load(weights_only=True) reads them (a pickle that names other code may run it when loaded "
                + "in Python; this one was not loaded)");
    }

    /** The few calls the allow-list admits, done here in Java: nothing the pickle names is run. */
    private Object call(Object callable, List<?> args, int at) {
        if (!(callable instanceof Global g) || !CALLABLES.contains(g.name())) {
            throw new XnerInputException(where + ": byte " + at + ": calls " + describe(callable) + ", which is not one of "
                    + CALLABLES.stream().sorted().toList());
        }
        return switch (g.name()) {
            case "collections.OrderedDict" -> {
                LinkedHashMap<Object, Object> dict = new LinkedHashMap<>();
                if (!args.isEmpty() && args.get(0) instanceof List<?> pairs) { // OrderedDict([(k, v), ...])
                    for (Object pair : pairs) dict.put(((List<?>) pair).get(0), ((List<?>) pair).get(1));
                }
                yield dict;
            }
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> tensor(args, at);
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> args.get(0);
            case "torch.Size" -> args.isEmpty() ? List.of() : args.get(0);
            case "_codecs.encode" -> ((String) args.get(0)).getBytes(StandardCharsets.ISO_8859_1); // bytes under protocol 2
            default -> throw new IllegalStateException(g.name());
        };
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private Tensor tensor(List<?> args, int at) {
        if (args.size() < 4 || !(args.get(0) instanceof Storage storage)) {
            throw new XnerInputException(where + ": byte " + at + ": a tensor without a storage: " + args);
        }
        long offset = (Long) args.get(1);
        long[] size = longs(args.get(2));
        long[] stride = longs(args.get(3));
        if (size.length != stride.length || offset < 0) {
            throw new XnerInputException(where + ": byte " + at + ": a tensor of size " + args.get(2) + ", stride "
                    + args.get(3) + " at offset " + offset);
        }
        return new Tensor(storage, offset, size, stride);
    }

    /** BUILD sets an object's state: an OrderedDict's {@code _metadata}, a tensor's Python attributes; both dropped. */
    private void build(Object state, Object target, int at) {
        if (target instanceof Map || target instanceof Tensor) return;
        throw new XnerInputException(where + ": byte " + at + ": sets the state of " + describe(target) + "; not read");
    }

    private static long[] longs(Object tuple) {
        List<?> list = (List<?>) tuple;
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = (Long) list.get(i);
        return out;
    }

    private Object longOf(int n, int at) {
        if (n > 8) { // e.g. the magic number of PyTorch's legacy format: little-endian two's complement
            byte[] little = bytes(n, at);
            byte[] big = new byte[n];
            for (int i = 0; i < n; i++) big[i] = little[n - 1 - i];
            return new java.math.BigInteger(big);
        }
        long value = 0;
        for (int i = 0; i < n; i++) value |= (in.get() & 0xffL) << (8 * i);
        if (n > 0 && n < 8 && (value & (1L << (8 * n - 1))) != 0) value -= 1L << (8 * n); // two's complement
        return value;
    }

    private String text(int length, java.nio.charset.Charset charset, int at) {
        return new String(bytes(length, at), charset);
    }

    private byte[] bytes(int length, int at) {
        if (length < 0 || length > in.remaining()) {
            throw new XnerInputException(where + ": byte " + at + ": a string of " + length + " bytes, past the end");
        }
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    private String line() {
        StringBuilder s = new StringBuilder();
        for (byte b; (b = in.get()) != '\n'; ) s.append((char) (b & 0xff));
        return s.toString();
    }

    private Object memo(long key, int at) {
        if (!memo.containsKey(key)) throw new XnerInputException(where + ": byte " + at + ": memo " + key + " was never set");
        return memo.get(key);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o, int at) {
        if (o instanceof Map) return (Map<Object, Object>) o;
        throw new XnerInputException(where + ": byte " + at + ": sets an item of " + describe(o) + ", not a dict");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, int at) {
        if (o instanceof ArrayList) return (List<Object>) o;
        throw new XnerInputException(where + ": byte " + at + ": appends to " + describe(o) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object o, int at) {
        if (o instanceof List<?> l) return (List<Object>) l;
        throw new XnerInputException(where + ": byte " + at + ": a persistent id that is not a tuple: " + describe(o));
    }

    private static String describe(Object o) {
        return o == null ? "None" : o instanceof Global g ? g.name() : o.getClass().getSimpleName();
    }

    /** A tuple: a list that cannot change (it may hold None, which List.of refuses). */
    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(new ArrayList<>(items));
    }

    private static List<Object> listOf(Object... items) {
        List<Object> list = new ArrayList<>();
        Collections.addAll(list, items);
        return list;
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) {
            throw new XnerInputException(where + ": the pickle pops an empty stack at byte " + in.position());
        }
        return stack.remove(stack.size() - 1);
    }

    private Object top() {
        if (stack.isEmpty()) throw new XnerInputException(where + ": the pickle reads an empty stack at byte " + in.position());
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw new XnerInputException(where + ": the pickle has no MARK at byte " + in.position());
        int mark = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(mark, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }
}
