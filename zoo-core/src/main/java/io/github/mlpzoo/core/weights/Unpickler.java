package io.github.mlpzoo.core.weights;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A minimal pickle reader for what {@code torch.save} writes in {@code data.pkl} (pickle protocol 2; the
 * data opcodes of protocols 0-4 are understood too).
 *
 * <p>Nothing in the pickle is ever executed. Every global it names is checked against a whitelist when
 * the opcode is read, and anything else is refused with an error naming it: the only globals accepted are
 * {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter} and the storage types of {@link Dtype}. Calling one of them
 * builds an inert Java value: a {@link LinkedHashMap}, or a {@link TensorRef} that records where the
 * tensor's elements are. No tensor data is read here; that happens after the whole pickle was accepted.
 *
 * <p>Values: dict → {@link LinkedHashMap}, tuple → unmodifiable {@link List}, list → {@link ArrayList},
 * int → {@link Long} (or {@link BigInteger}), float → {@link Double}, str → {@link String}, bytes →
 * {@code byte[]}, None → {@code null}. Format reference: CPython {@code Lib/pickletools.py};
 * persistent ids as in torch {@code serialization.py}: {@code ('storage', storage_type, key, location,
 * numel)}.
 */
final class Unpickler {

    static final String ORDERED_DICT = "collections.OrderedDict";
    static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
    static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";
    private static final Set<String> CALLABLES = Set.of(ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER);

    /** Longest module or name accepted in a GLOBAL opcode. */
    private static final int MAX_LINE = 256;

    /** A whitelisted global the pickle refers to. */
    record Global(String qualifiedName) {}

    /** One storage of the checkpoint: the zip entry {@code data/<key>}, holding {@code numel} elements. */
    record Storage(String key, Dtype dtype, long numel) {}

    /** A tensor as a view of a storage; elements, not bytes. */
    record TensorRef(Storage storage, long offset, long[] size, long[] stride) {}

    private final byte[] data;
    private int pos;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, Storage> storages = new HashMap<>();

    private Unpickler(byte[] data) {
        this.data = data;
    }

    /** Reads the object the pickle {@code data} describes. */
    static Object load(byte[] data) throws IOException {
        return new Unpickler(data).run();
    }

    /** The message for a refused global; also used by callers that find a global elsewhere. */
    static String refused(String qualifiedName) {
        return "refuses pickle global '" + qualifiedName + "': a checkpoint may only reference "
                + String.join(", ", List.of(ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER))
                + " and the storage types " + java.util.Arrays.stream(Dtype.values())
                        .map(d -> "torch." + d.storage).collect(java.util.stream.Collectors.joining(", "))
                + "; nothing was executed";
    }

    private Object run() throws IOException {
        while (true) {
            if (pos >= data.length) {
                throw error("ends without STOP (truncated?)");
            }
            int at = pos;
            int op = data[pos++] & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto > 5) {
                        throw error("pickle protocol " + proto + " is newer than 5");
                    }
                }
                case 0x95 -> skip(8); // FRAME
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw error("STOP with " + stack.size() + " values on the stack");
                    }
                    return stack.get(0);
                }
                case '(' -> marks.push(stack.size()); // MARK
                case ')' -> push(List.of()); // EMPTY_TUPLE
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case 'N' -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'J' -> push((long) le(4).getInt()); // BININT
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) (le(2).getShort() & 0xffff)); // BININT2
                case 0x8a -> push(longOf(bytes(u8()))); // LONG1
                case 0x8b -> push(longOf(bytes(length(le(4).getInt() & 0xffffffffL)))); // LONG4
                case 'G' -> push(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
                case 'X' -> push(utf8(length(le(4).getInt() & 0xffffffffL))); // BINUNICODE
                case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(length(le(8).getLong()))); // BINUNICODE8
                case 'T' -> push(latin1(length(le(4).getInt()))); // BINSTRING
                case 'U' -> push(latin1(u8())); // SHORT_BINSTRING
                case 'B' -> push(bytes(length(le(4).getInt() & 0xffffffffL))); // BINBYTES
                case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
                case 0x8e -> push(bytes(length(le(8).getLong()))); // BINBYTES8
                case 't' -> push(Collections.unmodifiableList(popMark())); // TUPLE
                case 0x85 -> push(Collections.singletonList(pop())); // TUPLE1
                case 0x86 -> { // TUPLE2
                    Object b = pop();
                    Object a = pop();
                    push(Collections.unmodifiableList(Arrays.asList(a, b)));
                }
                case 0x87 -> { // TUPLE3
                    Object c = pop();
                    Object b = pop();
                    Object a = pop();
                    push(Collections.unmodifiableList(Arrays.asList(a, b, c)));
                }
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 'd' -> push(dictOf(popMark())); // DICT
                case 'a' -> { // APPEND
                    Object v = pop();
                    list(top()).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(top()).addAll(items);
                }
                case 's' -> { // SETITEM
                    Object v = pop();
                    Object k = pop();
                    dict(top()).put(k, v);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    dict(top()).putAll(dictOf(items));
                }
                case 'q' -> memo.put((long) u8(), top()); // BINPUT
                case 'r' -> memo.put(le(4).getInt() & 0xffffffffL, top()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), top()); // MEMOIZE
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(le(4).getInt() & 0xffffffffL)); // LONG_BINGET
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(top()); // DUP
                case 'c' -> push(global(line() + "." + line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String) || !(name instanceof String)) {
                        throw error("STACK_GLOBAL needs two strings");
                    }
                    push(global(module + "." + name));
                }
                case 'i' -> { // INST: names a global and calls it; never accepted
                    String name = line() + "." + line();
                    global(name);
                    throw error("opcode INST (calling " + name + ") is not accepted");
                }
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(call(callable, tuple(args, "REDUCE arguments")));
                }
                case 0x81 -> { // NEWOBJ
                    Object args = pop();
                    Object cls = pop();
                    if (!(cls instanceof Global g) || !g.qualifiedName().equals(ORDERED_DICT)) {
                        throw error("NEWOBJ of " + describe(cls) + " is not accepted");
                    }
                    push(call(cls, tuple(args, "NEWOBJ arguments")));
                }
                case 'b' -> { // BUILD: sets attributes (an OrderedDict's _metadata); ignored
                    pop();
                    Object target = top();
                    if (!(target instanceof Map) && !(target instanceof TensorRef)) {
                        throw error("BUILD on " + describe(target) + " is not accepted");
                    }
                }
                case 'Q' -> push(persistent(pop())); // BINPERSID
                default -> throw new IOException(String.format(
                        "data.pkl: unsupported pickle opcode 0x%02x at byte %d", op, at));
            }
        }
    }

    private Object global(String qualifiedName) throws IOException {
        if (CALLABLES.contains(qualifiedName) || Dtype.ofStorage(qualifiedName) != null) {
            return new Global(qualifiedName);
        }
        throw new IOException("data.pkl: " + refused(qualifiedName));
    }

    private Object call(Object callable, List<Object> args) throws IOException {
        if (!(callable instanceof Global g) || !CALLABLES.contains(g.qualifiedName())) {
            throw error(describe(callable) + " cannot be called");
        }
        switch (g.qualifiedName()) {
            case ORDERED_DICT -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
                    for (Object p : pairs) {
                        List<Object> kv = tuple(p, "OrderedDict item");
                        if (kv.size() != 2) {
                            throw error("OrderedDict item of length " + kv.size());
                        }
                        map.put(kv.get(0), kv.get(1));
                    }
                } else if (!args.isEmpty()) {
                    throw error("OrderedDict called with " + args.size() + " arguments");
                }
                return map;
            }
            case REBUILD_TENSOR -> {
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (args.size() < 4 || args.size() > 7 || !(args.get(0) instanceof Storage storage)) {
                    throw error(REBUILD_TENSOR + " expects (storage, offset, size, stride, ...); got "
                            + args.size() + " arguments");
                }
                long offset = integer(args.get(1), "storage offset");
                long[] size = integers(args.get(2), "size");
                long[] stride = integers(args.get(3), "stride");
                return new TensorRef(storage, offset, size, stride);
            }
            default -> { // REBUILD_PARAMETER: (data, requires_grad, backward_hooks)
                if (args.isEmpty() || !(args.get(0) instanceof TensorRef t)) {
                    throw error(REBUILD_PARAMETER + " expects a tensor as first argument");
                }
                return t;
            }
        }
    }

    private Storage persistent(Object pid) throws IOException {
        List<Object> t = tuple(pid, "persistent id");
        if (t.size() != 5 || !"storage".equals(t.get(0)) || !(t.get(1) instanceof Global g)
                || !(t.get(2) instanceof String key)) {
            throw error("persistent id " + describe(pid) + " is not ('storage', type, key, location, numel)");
        }
        Dtype dtype = Dtype.ofStorage(g.qualifiedName());
        if (dtype == null) {
            throw error(g.qualifiedName() + " is not a storage type");
        }
        long numel = integer(t.get(4), "storage numel");
        if (numel < 0) {
            throw error("storage " + key + " claims " + numel + " elements");
        }
        Storage s = new Storage(key, dtype, numel);
        Storage before = storages.putIfAbsent(key, s);
        if (before != null && !before.equals(s)) {
            throw error("storage " + key + " is declared twice, as " + before + " and " + s);
        }
        return before != null ? before : s;
    }

    // ---- stack and memo ----

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws IOException {
        int floor = marks.isEmpty() ? 0 : marks.peek();
        if (stack.size() <= floor) {
            throw error("stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object top() throws IOException {
        int floor = marks.isEmpty() ? 0 : marks.peek();
        if (stack.size() <= floor) {
            throw error("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws IOException {
        if (marks.isEmpty()) {
            throw error("no MARK on the stack");
        }
        int m = marks.pop();
        List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private Object memoGet(long key) throws IOException {
        if (!memo.containsKey(key)) {
            throw error("memo key " + key + " was never stored");
        }
        return memo.get(key);
    }

    // ---- reading bytes ----

    private int u8() throws IOException {
        need(1);
        return data[pos++] & 0xff;
    }

    private ByteBuffer le(int n) throws IOException {
        return ByteBuffer.wrap(bytes(n)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void skip(int n) throws IOException {
        need(n);
        pos += n;
    }

    private byte[] bytes(int n) throws IOException {
        need(n);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    /** A length read from the pickle, refused if it runs past the end (before anything is allocated). */
    private int length(long n) throws IOException {
        if (n < 0 || n > data.length - pos) {
            throw error("length " + n + " runs past the end of the pickle");
        }
        return (int) n;
    }

    private void need(int n) throws IOException {
        if (n > data.length - pos) {
            throw error("ends early (truncated?)");
        }
    }

    private String utf8(int n) throws IOException {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private String latin1(int n) throws IOException {
        return new String(bytes(n), StandardCharsets.ISO_8859_1);
    }

    private String line() throws IOException {
        int start = pos;
        while (pos < data.length && data[pos] != '\n') {
            if (pos - start > MAX_LINE) {
                throw error("GLOBAL name longer than " + MAX_LINE + " bytes");
            }
            pos++;
        }
        if (pos >= data.length) {
            throw error("ends inside a GLOBAL name");
        }
        String s = new String(data, start, pos - start, StandardCharsets.UTF_8);
        pos++;
        return s;
    }

    // ---- value helpers ----

    private static Object longOf(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private Map<Object, Object> dictOf(List<Object> items) throws IOException {
        if (items.size() % 2 != 0) {
            throw error("odd number of items for a dict");
        }
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) {
            map.put(items.get(i), items.get(i + 1));
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) throws IOException {
        if (!(o instanceof Map)) {
            throw error("SETITEM(S) on " + describe(o));
        }
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) throws IOException {
        if (!(o instanceof ArrayList)) {
            throw error("APPEND(S) on " + describe(o));
        }
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private List<Object> tuple(Object o, String what) throws IOException {
        if (!(o instanceof List)) {
            throw error(what + " is " + describe(o) + ", not a tuple");
        }
        return (List<Object>) o;
    }

    private long integer(Object o, String what) throws IOException {
        if (!(o instanceof Long l)) {
            throw error(what + " is " + describe(o) + ", not an int");
        }
        return l;
    }

    private long[] integers(Object o, String what) throws IOException {
        List<Object> t = tuple(o, what);
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(t.get(i), what);
        }
        return out;
    }

    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Global g) {
            return g.qualifiedName();
        }
        if (o instanceof TensorRef) {
            return "a tensor";
        }
        if (o instanceof Storage) {
            return "a storage";
        }
        if (o instanceof Map) {
            return "a dict";
        }
        if (o instanceof ArrayList) {
            return "a list";
        }
        if (o instanceof List) {
            return "a tuple";
        }
        if (o instanceof String s) {
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        return "a " + o.getClass().getSimpleName();
    }

    private IOException error(String what) {
        return new IOException("data.pkl: " + what + " (at byte " + pos + ")");
    }
}
