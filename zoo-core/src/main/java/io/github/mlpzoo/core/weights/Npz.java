package io.github.mlpzoo.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Reads an {@code .npz} (numpy {@code savez}: a zip of {@code <name>.npy} members) through DJL's
 * {@code NDList.decode}, after checking each member's {@code .npy} header: a supported little-endian
 * dtype, C order (DJL ignores {@code fortran_order}), and a shape whose size matches the member's bytes.
 * F16 members are widened to FP32.
 */
final class Npz {

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npz() {}

    static Map<String, NDArray> read(ZipFile zip, Path path, NDManager manager) throws IOException {
        List<String> names = new ArrayList<>();
        List<Dtype> dtypes = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String name = e.getName().substring(0, e.getName().length() - ".npy".length());
            try (InputStream in = zip.getInputStream(e)) {
                dtypes.add(checkHeader(name, in, e.getSize()));
            }
            names.add(name);
        }
        NDList list;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            list = NDList.decode(manager, in);
        } catch (IllegalArgumentException e) {
            throw new IOException("npz could not be decoded: " + e.getMessage(), e);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        if (list.size() != names.size()) {
            list.close();
            throw new IOException("npz decoded to " + list.size() + " arrays but lists " + names.size());
        }
        for (int i = 0; i < list.size(); i++) {
            NDArray a = list.get(i);
            if (dtypes.get(i) == Dtype.F16) {
                NDArray wide = a.toType(DataType.FLOAT32, false);
                a.close();
                a = wide;
            }
            a.setName(names.get(i));
            out.put(names.get(i), a);
        }
        return out;
    }

    /** Checks one member's .npy header and returns its dtype. */
    static Dtype checkHeader(String name, InputStream in, long memberSize) throws IOException {
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
        return dtype;
    }
}
