package io.github.mlpzoo.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code .safetensors} file (huggingface/safetensors format: u64 little-endian header length N,
 * an N-byte JSON header {@code {name: {dtype, shape, data_offsets: [begin, end]}}}, then the data). Every
 * entry is checked (known dtype, shape product times element size equal to {@code end - begin}, offsets
 * inside the file) before the first tensor is read, so a lying header allocates nothing.
 */
final class Safetensors {

    /** Longest JSON header accepted (the format's own reader uses 100 MB). */
    static final long MAX_HEADER = 100L << 20;

    private record Entry(String name, Dtype dtype, long[] shape, long begin, long end) {}

    private Safetensors() {}

    static Map<String, NDArray> read(Path path, long fileSize, NDManager manager) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long n = readFully(ch, 8, 0).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 2 || n > fileSize - 8 || n > MAX_HEADER) {
                throw new IOException("safetensors header claims " + n + " bytes; the file has " + fileSize
                        + " bytes in all (at most " + MAX_HEADER + " header bytes accepted)");
            }
            String json = StandardCharsets.UTF_8.decode(readFully(ch, (int) n, 8)).toString();
            long dataStart = 8 + n;
            List<Entry> entries = parse(json, fileSize - dataStart);
            Map<String, NDArray> out = new LinkedHashMap<>();
            try {
                for (Entry e : entries) {
                    ByteBuffer data = readFully(ch, (int) (e.end - e.begin), dataStart + e.begin)
                            .order(ByteOrder.LITTLE_ENDIAN);
                    out.put(e.name, Tensors.create(manager, e.name, data, e.dtype, 0, e.shape,
                            Tensors.contiguousStrides(e.shape)));
                }
            } catch (IOException | RuntimeException ex) {
                StateDict.closeAll(out);
                throw ex;
            }
            return out;
        }
    }

    private static List<Entry> parse(String json, long dataLength) throws IOException {
        JsonObject header;
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonObject()) {
                throw new IOException("safetensors header is not a JSON object");
            }
            header = root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IOException("safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, JsonElement> kv : header.entrySet()) {
            String name = kv.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            try {
                JsonObject o = kv.getValue().getAsJsonObject();
                String dt = o.get("dtype").getAsString();
                Dtype dtype = Dtype.ofSafetensors(dt);
                if (dtype == null) {
                    throw new IOException("tensor '" + name + "' has dtype " + dt + "; supported: "
                            + Dtype.supported());
                }
                JsonArray s = o.getAsJsonArray("shape");
                long[] shape = new long[s.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = s.get(i).getAsLong();
                }
                JsonArray off = o.getAsJsonArray("data_offsets");
                if (off.size() != 2) {
                    throw new IOException("tensor '" + name + "' has " + off.size() + " data_offsets; expected 2");
                }
                long begin = off.get(0).getAsLong();
                long end = off.get(1).getAsLong();
                long bytes = Tensors.numel("tensor '" + name + "'", shape, dtype) * dtype.bytes;
                if (begin < 0 || end < begin || end > dataLength) {
                    throw new IOException("tensor '" + name + "' has data_offsets [" + begin + ", " + end
                            + "] outside the " + dataLength + " data bytes of the file");
                }
                if (end - begin != bytes) {
                    throw new IOException("tensor '" + name + "' of shape " + java.util.Arrays.toString(shape)
                            + " and dtype " + dtype + " needs " + bytes + " bytes; data_offsets give "
                            + (end - begin));
                }
                total = Tensors.addTotal("tensor '" + name + "'", total, bytes);
                entries.add(new Entry(name, dtype, shape, begin, end));
            } catch (IllegalStateException | NullPointerException | UnsupportedOperationException
                    | NumberFormatException | ClassCastException e) {
                throw new IOException("tensor '" + name + "' has a malformed header entry "
                        + kv.getValue() + "; expected {dtype, shape, data_offsets}", e);
            }
        }
        return entries;
    }

    private static ByteBuffer readFully(FileChannel ch, int n, long at) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("ends early at byte " + (at + b.position()) + " (truncated?)");
            }
        }
        b.flip();
        return b;
    }
}
