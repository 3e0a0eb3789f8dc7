package io.github.mlpzoo.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a checkpoint into an ordered map from its tensor names to NDArrays, without running anything the
 * file contains.
 *
 * <p>Formats, told apart by their first bytes (the file name does not matter):
 * <ul>
 *   <li>PyTorch's zip checkpoint, what {@code torch.save} writes since 1.6 ({@code <name>/data.pkl} plus
 *       one {@code <name>/data/<key>} entry per storage), read by a whitelisting pickle reader of our own
 *       (see {@link Unpickler}): any global other than {@code collections.OrderedDict}, the two torch
 *       rebuild functions and the storage types is refused with an error naming it. Strided and offset
 *       views are gathered; a state_dict wrapped as {@code {"model": sd}}, {@code {"state_dict": sd}} or
 *       {@code {"model_state_dict": sd}} is unwrapped.</li>
 *   <li>{@code .safetensors} (8-byte little-endian header length, JSON header, raw data), read here
 *       rather than by {@code NDList.decode} so that BF16 can be widened before DJL sees it and every
 *       header claim is checked against the file size first.</li>
 *   <li>{@code .npz}, decoded by DJL's {@code NDList.decode} after each member's header was checked.</li>
 * </ul>
 * In every format a {@code module.} prefix on all names (from {@code nn.DataParallel}) is removed, and
 * F16/BF16 tensors are widened to FP32 (DJL's BF16 aborts the JVM); F32, F64, I64, I32, U8 and BOOL keep
 * their type. Every array is contiguous and belongs to the given manager.
 *
 * <p>A legacy (pre-1.6, non-zip) {@code torch.save} file, a truncated file, a zip without
 * {@code data.pkl}, or any header claiming more data than the file holds gives one {@link IOException}
 * naming the file and what was wrong; nothing is allocated from an unchecked claim.
 */
public final class StateDict {

    /** Keys under which training scripts commonly nest the state_dict. */
    static final List<String> WRAPPERS = List.of("state_dict", "model", "model_state_dict");

    private static final String DATAPARALLEL_PREFIX = "module.";

    /** Longest pickle accepted in a torch zip checkpoint. */
    static final long MAX_PICKLE_BYTES = 256L << 20;

    private StateDict() {}

    /**
     * Reads {@code path} onto {@code manager}.
     *
     * @return name → array in the file's order, unmodifiable
     * @throws IOException if the file cannot be read or is not a well-formed, safe checkpoint; the message
     *     names the file, the problem and what was expected
     */
    public static Map<String, NDArray> read(Path path, NDManager manager) throws IOException {
        Map<String, NDArray> out;
        try {
            out = readAny(path, manager);
        } catch (ZipException e) {
            throw new IOException(path + ": truncated or corrupt zip archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
        return Collections.unmodifiableMap(stripPrefix(out));
    }

    private static Map<String, NDArray> readAny(Path path, NDManager manager) throws IOException {
        long size = Files.size(path);
        byte[] head = new byte[(int) Math.min(size, 512)];
        try (InputStream in = Files.newInputStream(path)) {
            if (in.readNBytes(head, 0, head.length) != head.length) {
                throw new IOException("file shrank while being read");
            }
        }
        if (size == 0) {
            throw new IOException("empty file; expected a torch.save checkpoint, .safetensors or .npz");
        }
        if (size >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) {
            try (ZipFile zip = new ZipFile(path.toFile())) {
                String pickle = findDataPkl(zip);
                if (pickle != null) {
                    return TorchZip.read(zip, pickle, manager);
                }
                if (isNpz(zip)) {
                    return Npz.read(zip, manager);
                }
                throw new IOException("zip archive without data.pkl: not a torch.save checkpoint, nor an .npz"
                        + " (entries: " + entryNames(zip, 6) + ")");
            }
        }
        if ((head[0] & 0xff) == 0x80 && size > 1 && head[1] >= 0 && head[1] <= 5 || isTar(head)) {
            throw new IOException("legacy (non-zip) torch.save format, which this reader does not accept;"
                    + " re-save with torch>=1.6: torch.save(torch.load(f), 'new.pth')");
        }
        if (size >= 9 && head[8] == '{') {
            return Safetensors.read(path, size, manager);
        }
        throw new IOException("unrecognized format; expected a torch.save zip checkpoint (.pth/.pt/.bin),"
                + " .safetensors or .npz");
    }

    /** The single {@code data.pkl} entry of a torch zip checkpoint, or null. */
    private static String findDataPkl(ZipFile zip) throws IOException {
        String found = null;
        for (ZipEntry e : Collections.list(zip.entries())) {
            String n = e.getName();
            if (n.equals("data.pkl") || (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - 9)) {
                if (found != null) {
                    throw new IOException("zip holds two checkpoints (" + found + ", " + n + ")");
                }
                found = n;
            }
        }
        return found;
    }

    private static boolean isNpz(ZipFile zip) {
        for (ZipEntry e : Collections.list(zip.entries())) {
            if (!e.getName().endsWith(".npy")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTar(byte[] head) {
        return head.length >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't'
                && head[260] == 'a' && head[261] == 'r';
    }

    private static String entryNames(ZipFile zip, int max) {
        List<String> names = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            names.add(e.getName());
        }
        return names.size() <= max
                ? String.join(", ", names)
                : String.join(", ", names.subList(0, max)) + ", ... " + (names.size() - max) + " more";
    }

    /** Reads a zip entry of at most {@code max} bytes, allocating only what is actually there. */
    static byte[] readEntry(ZipFile zip, ZipEntry entry, long max) throws IOException {
        if (entry.getSize() > max) {
            throw new IOException(entry.getName() + " claims " + entry.getSize() + " bytes; at most " + max
                    + " expected");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] b = in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 64L) + 1);
            if (b.length > max) {
                throw new IOException(entry.getName() + " holds more than " + max + " bytes");
            }
            if (entry.getSize() >= 0 && b.length != entry.getSize()) {
                throw new IOException(entry.getName() + " holds " + b.length + " bytes but its header says "
                        + entry.getSize() + " (truncated?)");
            }
            return b;
        }
    }

    /** Removes {@code module.} when every name carries it, as {@code nn.DataParallel} saves them. */
    static Map<String, NDArray> stripPrefix(Map<String, NDArray> in) {
        if (in.isEmpty() || !in.keySet().stream().allMatch(k -> k.startsWith(DATAPARALLEL_PREFIX))) {
            return in;
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k.substring(DATAPARALLEL_PREFIX.length()), v));
        return out;
    }

    /** Closes every array of a partly built result after a failure. */
    static void closeAll(Map<String, NDArray> arrays) {
        for (NDArray a : arrays.values()) {
            a.close();
        }
    }
}
