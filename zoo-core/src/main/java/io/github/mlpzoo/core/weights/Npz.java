package io.github.mlpzoo.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads an {@code .npz} (numpy {@code savez}/{@code savez_compressed}: a zip of {@code <name>.npy} members)
 * or a single {@code .npy}. Every member's {@code .npy} header is checked first (a supported little-endian
 * dtype, C order, a shape whose size matches the member's declared bytes) and the declared tensor bytes are
 * summed against {@link Tensors#maxTotalBytes()} before any array is allocated, so a zip bomb or a forged
 * header is refused up front; then each member is read, at most the bytes its header declares.
 * F16 members are widened to FP32.
 */
final class Npz {

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** A checked {@code .npy} header: dtype, shape and the data bytes that follow it. */
    record Header(Dtype dtype, long[] shape, long dataBytes) {

        /** Bytes of the array once read (F16 is widened to FP32). */
        long arrayBytes() {
            return dataBytes / dtype.bytes * dtype.djl.getNumOfBytes();
        }
    }

    private Npz() {}

    static Map<String, NDArray> read(ZipFile zip, NDManager manager) throws IOException {
        List<? extends ZipEntry> members = Collections.list(zip.entries());
        List<String> names = new ArrayList<>();
        long total = 0;
        // pass 1: every header, and the sum of what they declare, before anything is allocated
        for (ZipEntry e : members) {
            String name = e.getName().substring(0, e.getName().length() - ".npy".length());
            if (names.contains(name)) {
                throw new IOException("member '" + name + "' appears twice");
            }
            if (e.getSize() < 0) {
                throw new IOException("member '" + name + "' does not declare its size");
            }
            try (InputStream in = zip.getInputStream(e)) {
                Header h = checkHeader(name, in, e.getSize());
                total = Tensors.addTotal("member '" + name + "'", total, h.arrayBytes());
            }
            names.add(name);
        }
        // pass 2: the data, at most the bytes each checked header declares
        Map<String, NDArray> out = new LinkedHashMap<>();
        try {
            for (int i = 0; i < members.size(); i++) {
                try (InputStream in = zip.getInputStream(members.get(i))) {
                    String name = names.get(i);
                    Header h = checkHeader(name, in, members.get(i).getSize());
                    out.put(name, readData(manager, name, in, h));
                }
            }
        } catch (IOException | RuntimeException e) {
            StateDict.closeAll(out);
            throw e;
        }
        return out;
    }

    /** Reads a single {@code .npy} stream of {@code size} bytes (-1 if unknown) as an array named {@code name}. */
    static NDArray readNpy(String name, InputStream in, long size, NDManager manager) throws IOException {
        Header h = checkHeader(name, in, size);
        Tensors.addTotal("array '" + name + "'", 0, h.arrayBytes());
        return readData(manager, name, in, h);
    }

    private static NDArray readData(NDManager manager, String name, InputStream in, Header h) throws IOException {
        byte[] data = in.readNBytes((int) h.dataBytes);
        if (data.length != h.dataBytes) {
            throw new IOException("member '" + name + "' ends after " + data.length + " of its " + h.dataBytes
                    + " data bytes (truncated?)");
        }
        if (in.read() != -1) {
            throw new IOException("member '" + name + "' holds more than the " + h.dataBytes
                    + " data bytes its header declares");
        }
        ByteBuffer storage = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        return Tensors.create(manager, name, storage, h.dtype, 0, h.shape, Tensors.contiguousStrides(h.shape));
    }

    /**
     * Reads and checks one {@code .npy} header from {@code in} (left at the first data byte); {@code memberSize}
     * is the whole member's size, or -1 if unknown.
     */
    static Header checkHeader(String name, InputStream in, long memberSize) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || (magic[0] & 0xff) != 0x93 || magic[1] != 'N' || magic[2] != 'U'
                || magic[3] != 'M' || magic[4] != 'P' || magic[5] != 'Y') {
            throw new IOException("member '" + name + "' is not a .npy array");
        }
        int major = magic[6];
        byte[] lenBytes = in.readNBytes(major == 1 ? 2 : 4);
        if (major < 1 || major > 3 || lenBytes.length < (major == 1 ? 2 : 4)) {
            throw new IOException("member '" + name + "' has .npy version " + major + "; expected 1 to 3");
        }
        ByteBuffer bb = ByteBuffer.wrap(Arrays.copyOf(lenBytes, 4)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = bb.getInt() & 0xffffffffL;
        if (headerLen > 1 << 16) {
            throw new IOException("member '" + name + "' claims a " + headerLen + "-byte .npy header");
        }
        byte[] hb = in.readNBytes((int) headerLen);
        if (hb.length != headerLen) {
            throw new IOException("member '" + name + "' ends inside its .npy header (truncated?)");
        }
        String header = new String(hb, StandardCharsets.US_ASCII);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException("member '" + name + "' has a malformed .npy header: " + header.trim());
        }
        Dtype dtype = Dtype.ofNumpy(d.group(1));
        if (dtype == null) {
            throw new IOException("member '" + name + "' has numpy dtype " + d.group(1)
                    + "; supported: <f4, <f2, <f8, <i8, <i4, |u1, |b1 (little-endian)");
        }
        if (f.group(1).equals("True")) {
            throw new IOException("member '" + name + "' is stored in Fortran order; save it C-contiguous"
                    + " (np.ascontiguousarray)");
        }
        String dims = s.group(1).trim();
        long[] shape;
        try {
            shape = dims.isEmpty()
                    ? new long[0]
                    : Arrays.stream(dims.split(",")).map(String::trim).filter(t -> !t.isEmpty())
                            .mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new IOException("member '" + name + "' has a malformed shape (" + dims + ")", e);
        }
        long bytes = Tensors.numel("member '" + name + "'", shape, dtype) * dtype.bytes;
        long prefix = 8 + lenBytes.length + headerLen;
        if (memberSize >= 0 && memberSize != prefix + bytes) {
            throw new IOException("member '" + name + "' of shape " + Arrays.toString(shape) + " needs "
                    + bytes + " data bytes but holds " + (memberSize - prefix));
        }
        return new Header(dtype, shape, bytes);
    }
}
