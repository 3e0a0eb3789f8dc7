package io.github.mlpzoo.core.zoo;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.mlpzoo.core.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The DJL params file of a model directory written by {@link Zoo#save}: its checksum file and a strict,
 * all-or-nothing load.
 *
 * <p>{@code params.sha256} beside the params holds lines {@code <sha256 hex> <size> <file name>}. {@link Zoo#save}
 * first adds the new file's line to those of the file in place, then renames the new file in, then rewrites
 * the checksum file with the new line only, so a process killed at any moment leaves a params file that one
 * of the lines accepts. DJL's own loader returns silently when the {@code DJL@} magic is spoiled, throws a bare
 * {@code EOFException} when a file is truncated, and replaces the parameters one by one; a model whose top block is a
 * {@link io.github.mlpzoo.core.nn.DescribedBlock} (every registered one) puts them back on a failure and checks the
 * CRC32C that ends its parameters, but a block of another kind would be left half-loaded. {@link #load} checks the
 * checksum, parses the whole file into a staging copy of the block, and copies the values in only when every name
 * and shape matches.
 */
final class ParamsFile {

    /** The checksum file beside the params. */
    static final String CHECKSUM_FILE = "params.sha256";

    private static final int MODEL_VERSION = 1; // BaseModel.MODEL_VERSION of DJL 0.29
    private static final int MAX_LISTED = 25;
    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) (\\d+) (\\S+)");

    private ParamsFile() {}

    /** One accepted checksum line. */
    record Sum(String sha256, long size, String file) {

        String line() {
            return sha256 + " " + size + " " + file;
        }
    }

    /** The SHA-256 and size of {@code file}. */
    static Sum sum(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        long size = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                size += n;
            }
        }
        return new Sum(HexFormat.of().formatHex(md.digest()), size, file.getFileName().toString());
    }

    /** The lines of {@code dir}'s checksum file, or an empty list when it has none. */
    static List<Sum> readSums(Path dir) throws IOException {
        Path f = dir.resolve(CHECKSUM_FILE);
        List<Sum> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return out;
        }
        for (String line : lines) {
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) {
                throw new IOException(f + ": malformed line '" + line + "'; expected '<sha256 hex> <size> <file>'");
            }
            out.add(new Sum(m.group(1), Long.parseLong(m.group(2)), m.group(3)));
        }
        return out;
    }

    /** Writes {@code sums} as {@code dir}'s checksum file, atomically. */
    static void writeSums(Path dir, List<Sum> sums) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Sum s : sums) {
            sb.append(s.line()).append('\n');
        }
        AtomicFiles.writeString(dir.resolve(CHECKSUM_FILE), sb.toString());
    }

    /**
     * The params file DJL loads from {@code dir} for model name {@code modelName}: the highest
     * {@code <modelName>-NNNN.params}.
     */
    static Path find(Path dir, String modelName) throws IOException {
        Pattern p = Pattern.compile(Pattern.quote(modelName) + "-(\\d{4})\\.params");
        Path best = null;
        int bestEpoch = -1;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = p.matcher(f.getFileName().toString());
                if (m.matches() && Integer.parseInt(m.group(1)) > bestEpoch) {
                    bestEpoch = Integer.parseInt(m.group(1));
                    best = f;
                }
            }
        } catch (NoSuchFileException e) {
            throw new IOException("model directory " + dir + " does not exist", e);
        }
        if (best == null) {
            throw new IOException("model directory " + dir + " has no params file " + modelName
                    + "-NNNN.params");
        }
        return best;
    }

    /**
     * Checks {@code file} against the checksum file of its directory, or, without one, that it starts with
     * DJL's {@code DJL@} magic.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    static void verify(Path file) throws IOException {
        List<Sum> sums = readSums(file.getParent());
        String name = file.getFileName().toString();
        List<Sum> mine = sums.stream().filter(s -> s.file.equals(name)).toList();
        if (mine.isEmpty()) {
            if (!sums.isEmpty()) {
                throw new IOException(file + ": not listed in " + CHECKSUM_FILE + " (which lists "
                        + sums.stream().map(Sum::file).toList() + "); the directory was changed after saving");
            }
            checkMagic(file);
            return;
        }
        Sum got = sum(file);
        for (Sum s : mine) {
            if (s.sha256.equals(got.sha256) && s.size == got.size) {
                return;
            }
        }
        Sum want = mine.get(mine.size() - 1);
        String what = got.size < want.size ? "truncated" : got.size > want.size ? "grown" : "corrupted";
        throw new IOException(file + ": " + what + " since it was saved: it has " + got.size + " bytes with SHA-256 "
                + got.sha256 + ", but " + CHECKSUM_FILE + " says " + want.size + " bytes with SHA-256 "
                + want.sha256 + "; restore the file or save the model again");
    }

    /**
     * Checks the params file DJL would load from {@code dir} (named after it), if there is one, before DJL reads
     * it: against its checksum file, or, without one, by parsing it whole into a throw-away block built by
     * {@code staged} on a sub-manager of {@code manager} (DJL would stop silently at a spoiled magic and replace
     * parameters one by one from a truncated file).
     */
    static void verifyDir(Path dir, java.util.function.Supplier<Block> staged, NDManager manager) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Path file;
        try {
            file = find(abs, abs.getFileName().toString());
        } catch (IOException e) {
            return; // nothing to load, or not a directory: DJL's loader says so
        }
        verify(file);
        if (readSums(abs).isEmpty()) {
            try (NDManager staging = manager.newSubManager()) {
                read(file, staged.get(), staging, new LinkedHashMap<>());
            }
        }
    }

    private static void checkMagic(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (!"DJL@".equals(new String(head, StandardCharsets.ISO_8859_1))) {
            throw new IOException(file + ": not a DJL params file: it starts with bytes "
                    + HexFormat.ofDelimiter(" ").formatHex(head) + "; expected \"DJL@\" (44 4a 4c 40)");
        }
    }

    /**
     * Loads the checkpoint of {@code dir} (written by {@link Zoo#save}) into {@code model}, all or nothing;
     * see {@link Zoo#load}.
     */
    static void load(Model model, Path dir) throws IOException {
        Block target = model.getBlock();
        if (target == null || !target.isInitialized()) {
            throw new IllegalStateException("model " + model.getName() + " has no initialized block to load into;"
                    + " build it with Zoo.newModel");
        }
        Path abs = dir.toAbsolutePath().normalize();
        Path file = find(abs, abs.getFileName().toString());
        verify(file);
        Properties props = new Properties();
        Path serving = abs.resolve("serving.properties");
        try (Reader r = Files.newBufferedReader(serving, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (NoSuchFileException e) {
            throw new IOException(abs + " has no serving.properties: not a model directory written by Zoo.save", e);
        }
        String variant = props.getProperty(VariantBlockFactory.VARIANT_KEY);
        if (variant == null) {
            throw new IOException(serving + " has no '" + VariantBlockFactory.VARIANT_KEY + "=' line");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> args.put(k, props.getProperty(k)));
        Map<String, String> config = VariantBlockFactory.overrides(args);
        Block staged = Zoo.create(variant, config);
        Map<String, String> properties = new LinkedHashMap<>();
        try (NDManager staging = model.getNDManager().newSubManager()) {
            DataType dataType = read(file, staged, staging, properties);
            if (dataType != model.getDataType()) {
                throw new IllegalArgumentException(file + " holds " + dataType + " parameters; the model is "
                        + model.getDataType() + "; the model was left unchanged");
            }
            copy(staged, target, file, variant + " " + config, model.getName());
        }
        properties.forEach(model::setProperty);
    }

    /** Parses the whole params file into {@code staged}, on {@code staging}; returns its data type. */
    private static DataType read(Path file, Block staged, NDManager staging, Map<String, String> properties)
            throws IOException {
        long size = Files.size(file);
        try (DataInputStream dis = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = new byte[4];
            dis.readFully(magic);
            if (!"DJL@".equals(new String(magic, StandardCharsets.ISO_8859_1))) {
                throw new IOException(file + ": not a DJL params file: it starts with bytes "
                        + HexFormat.ofDelimiter(" ").formatHex(magic) + "; expected \"DJL@\"");
            }
            int version = dis.readInt();
            if (version != MODEL_VERSION) {
                throw new IOException(file + ": params format version " + version + "; expected " + MODEL_VERSION);
            }
            dis.readUTF(); // the model name it was saved under
            DataType dataType = DataType.valueOf(dis.readUTF());
            int inputs = count(file, dis.readInt(), "inputs");
            for (int i = 0; i < inputs; i++) {
                dis.readUTF();
                int rank = count(file, dis.readInt(), "input shape axes");
                dis.skipNBytes(8L * rank);
                dis.skipNBytes(2L * count(file, dis.readInt(), "input layout axes"));
            }
            int n = count(file, dis.readInt(), "properties");
            for (int i = 0; i < n; i++) {
                properties.put(dis.readUTF(), dis.readUTF());
            }
            staged.loadParameters(staging, dis);
            if (dis.read() != -1) {
                throw new IOException(file + ": corrupted: bytes follow the last parameter (the file has " + size
                        + "); expected it to end there");
            }
            return dataType;
        } catch (EOFException e) {
            throw new IOException(file + ": truncated: it ends (at " + size + " bytes) before its parameters do;"
                    + " restore the file or save the model again", e);
        } catch (java.io.UTFDataFormatException e) {
            throw new IOException(file + ": corrupted: a name in it is not valid modified UTF-8", e);
        } catch (MalformedModelException e) {
            if (e.getCause() instanceof EOFException) { // it ends before a model's integrity check
                throw new IOException(file + ": truncated: it ends (at " + size + " bytes) before its parameters do;"
                        + " restore the file or save the model again", e);
            }
            throw new IOException(file + ": corrupted, or not saved from the variant its serving.properties"
                    + " names: " + e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException
                | NegativeArraySizeException e) {
            throw new IOException(file + ": corrupted: " + e, e);
        }
    }

    private static int count(Path file, int n, String what) throws IOException {
        if (n < 0 || n > 4096) {
            throw new IOException(file + ": corrupted header: " + n + " " + what + "; expected 0 to 4096");
        }
        return n;
    }

    /** Copies the staged values into {@code target} when every name and shape matches, else lists them. */
    private static void copy(Block staged, Block target, Path file, String fileVariant, String modelName) {
        Map<String, Parameter> from = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : staged.getParameters()) {
            from.put(p.getKey(), p.getValue());
        }
        List<String> missing = new ArrayList<>();
        List<String> misshaped = new ArrayList<>();
        List<Pair<NDArray, NDArray>> copies = new ArrayList<>();
        Map<String, Parameter> to = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : target.getParameters()) {
            to.put(p.getKey(), p.getValue());
            Parameter src = from.get(p.getKey());
            NDArray dst = p.getValue().getArray();
            if (src == null || !src.isInitialized()) {
                missing.add(p.getKey() + " " + dst.getShape());
            } else if (!src.getArray().getShape().equals(dst.getShape())
                    || src.getArray().getDataType() != dst.getDataType()) {
                misshaped.add(p.getKey() + ": model " + dst.getShape() + " " + dst.getDataType() + ", file "
                        + src.getArray().getShape() + " " + src.getArray().getDataType());
            } else {
                copies.add(new Pair<>(src.getArray(), dst));
            }
        }
        List<String> unexpected = new ArrayList<>();
        from.forEach((k, p) -> {
            if (!to.containsKey(k)) {
                unexpected.add(k + (p.isInitialized() ? " " + p.getArray().getShape() : ""));
            }
        });
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misshaped.isEmpty()) {
            StringBuilder sb = new StringBuilder("cannot load ").append(file).append(" (").append(fileVariant)
                    .append(") into model ").append(modelName).append(": ").append(missing.size())
                    .append(" missing, ").append(unexpected.size()).append(" unexpected, ")
                    .append(misshaped.size()).append(" mis-shaped parameters; the model was left unchanged");
            list(sb, "missing (model parameters the file lacks)", missing);
            list(sb, "unexpected (file parameters the model lacks)", unexpected);
            list(sb, "mis-shaped", misshaped);
            throw new IllegalArgumentException(sb.toString());
        }
        for (Pair<NDArray, NDArray> c : copies) {
            c.getValue().set(c.getKey().toByteBuffer());
        }
    }

    private static void list(StringBuilder sb, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        sb.append("\n  ").append(title).append(':');
        for (int i = 0; i < Math.min(items.size(), MAX_LISTED); i++) {
            sb.append("\n    ").append(items.get(i));
        }
        if (items.size() > MAX_LISTED) {
            sb.append("\n    ... and ").append(items.size() - MAX_LISTED).append(" more");
        }
    }
}
