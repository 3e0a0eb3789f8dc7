package io.github.mlpzoo.core.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes protocol-2 pickle opcodes and torch-style zips by hand, for crafted test checkpoints. */
final class Pickles {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pickles() {
        out.write(0x80);
        out.write(2);
    }

    Pickles op(int opcode) {
        out.write(opcode);
        return this;
    }

    Pickles global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Pickles str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
        return this;
    }

    Pickles integer(long v) {
        if (v >= 0 && v < 256) {
            out.write('K');
            out.write((int) v);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        } else {
            out.write(0x8a);
            out.write(8);
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }
        return this;
    }

    /** Pushes a tuple of ints. */
    Pickles ints(long... values) {
        out.write('(');
        for (long v : values) {
            integer(v);
        }
        out.write('t');
        return this;
    }

    /**
     * Pushes {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())} for a
     * storage of {@code numel} floats under {@code key}.
     */
    Pickles tensor(String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        out.write('(');
        out.write('(');
        str("storage");
        global("torch", "FloatStorage");
        str(key);
        str("cpu");
        integer(numel);
        out.write('t');
        out.write('Q');
        integer(offset);
        ints(size);
        ints(stride);
        out.write(0x89);
        global("collections", "OrderedDict");
        out.write(')');
        out.write('R');
        out.write('t');
        out.write('R');
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** A zip laid out as torch.save writes it: {@code archive/data.pkl}, {@code archive/data/<key>}. */
    static Path torchZip(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            put(zip, "archive/data.pkl", pickle);
            for (Map.Entry<String, byte[]> e : storages.entrySet()) {
                put(zip, "archive/data/" + e.getKey(), e.getValue());
            }
            put(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
