package io.github.mlpzoo.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.mlpzoo.core.weights.Unpickler.Storage;
import io.github.mlpzoo.core.weights.Unpickler.TensorRef;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch zip checkpoint ({@code torch/serialization.py}, {@code _save} with
 * {@code _use_new_zipfile_serialization=True}): the pickle is unpickled and unwrapped first, every storage
 * entry and every tensor view is then checked against the sizes the zip actually holds, and only then are
 * storages read and arrays created.
 */
final class TorchZip {

    /** How deep wrappers such as {@code {"model": {"state_dict": sd}}} may nest. */
    private static final int MAX_NESTING = 4;

    private TorchZip() {}

    static Map<String, NDArray> read(ZipFile zip, String pickleEntry, NDManager manager) throws IOException {
        String prefix = pickleEntry.substring(0, pickleEntry.length() - "data.pkl".length());
        byte[] pickle = StateDict.readEntry(zip, zip.getEntry(pickleEntry), StateDict.MAX_PICKLE_BYTES);
        Map<String, TensorRef> refs = unwrap(Unpickler.load(pickle), "the checkpoint", 0);
        ByteOrder order = byteOrder(zip, prefix);

        // check everything before reading any storage
        Map<String, ZipEntry> entries = new HashMap<>();
        long total = 0;
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            TensorRef t = e.getValue();
            Storage s = t.storage();
            if (!entries.containsKey(s.key())) {
                ZipEntry entry = zip.getEntry(prefix + "data/" + s.key());
                if (entry == null) {
                    throw new IOException("tensor '" + e.getKey() + "' refers to storage " + s.key()
                            + " but the zip has no entry " + prefix + "data/" + s.key());
                }
                long bytes = Tensors.numel("storage " + s.key(), new long[] {s.numel()}, s.dtype())
                        * s.dtype().bytes;
                if (entry.getSize() != bytes) {
                    throw new IOException("storage " + s.key() + " claims " + s.numel() + " elements of "
                            + s.dtype() + " (" + bytes + " bytes) but its zip entry holds " + entry.getSize());
                }
                total = Tensors.addTotal("storage " + s.key(), total, bytes);
                entries.put(s.key(), entry);
            }
            Tensors.checkView("tensor '" + e.getKey() + "'", s.dtype(), s.numel(), t.offset(), t.size(),
                    t.stride());
        }

        Map<String, ByteBuffer> storages = new HashMap<>();
        Map<String, NDArray> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                TensorRef t = e.getValue();
                Storage s = t.storage();
                ByteBuffer data = storages.get(s.key());
                if (data == null) {
                    ZipEntry entry = entries.get(s.key());
                    data = ByteBuffer.wrap(StateDict.readEntry(zip, entry, entry.getSize())).order(order);
                    storages.put(s.key(), data);
                }
                out.put(e.getKey(), Tensors.create(manager, e.getKey(), data, s.dtype(), t.offset(), t.size(),
                        t.stride()));
            }
        } catch (IOException | RuntimeException e) {
            StateDict.closeAll(out);
            throw e;
        }
        return out;
    }

    /**
     * The state_dict inside the unpickled {@code root}: a dict whose values are all tensors, possibly
     * nested under one of {@link StateDict#WRAPPERS}.
     */
    static Map<String, TensorRef> unwrap(Object root, String where, int depth) throws IOException {
        if (!(root instanceof Map<?, ?> map)) {
            throw new IOException(where + " holds " + Unpickler.describe(root)
                    + ", not a dict of tensors (a state_dict)");
        }
        boolean anyTensor = map.values().stream().anyMatch(v -> v instanceof TensorRef);
        if (anyTensor || map.isEmpty()) {
            Map<String, TensorRef> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IOException(where + " has a key " + Unpickler.describe(e.getKey())
                            + "; state_dict keys are strings");
                }
                if (!(e.getValue() instanceof TensorRef t)) {
                    throw new IOException(where + " entry '" + key + "' is "
                            + Unpickler.describe(e.getValue()) + ", not a tensor");
                }
                out.put(key, t);
            }
            return out;
        }
        for (String w : StateDict.WRAPPERS) {
            if (map.get(w) instanceof Map<?, ?> inner && depth < MAX_NESTING) {
                return unwrap(inner, where + "['" + w + "']", depth + 1);
            }
        }
        List<String> keys = map.keySet().stream().limit(10).map(String::valueOf).toList();
        throw new IOException(where + " is a dict with keys " + keys + (map.size() > 10 ? " (and more)" : "")
                + " and no tensors; expected a state_dict, or one wrapped as {'model': sd} or"
                + " {'state_dict': sd}");
    }

    /** The byte order torch recorded ({@code byteorder} entry, torch >= 2.1); little-endian before that. */
    private static ByteOrder byteOrder(ZipFile zip, String prefix) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        String s = new String(StateDict.readEntry(zip, e, 16), StandardCharsets.US_ASCII).trim();
        return switch (s) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new IOException(prefix + "byteorder says '" + s + "'; expected little or big");
        };
    }
}
