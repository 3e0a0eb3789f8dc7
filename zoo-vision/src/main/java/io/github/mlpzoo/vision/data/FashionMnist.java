package io.github.mlpzoo.vision.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST (Xiao, Rasul &amp; Vollgraf, 2017; MIT license): 28×28 grey-scale images of 10 clothing classes,
 * 60,000 for training and 10,000 for test, read from the four IDX files that Debian's {@code dataset-fashion-mnist}
 * installs in {@value #DEBIAN_DIR} ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz},
 * {@code t10k-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte.gz}; gzipped or not).
 *
 * <p>The files are read directly (IDX: a big-endian magic number, the dimensions, then unsigned bytes), which is
 * what DJL's {@code FashionMnist} does after its repository step; it keeps {@code ai.djl:basicdataset} and its
 * cache directory out of the way.
 *
 * @param trainImages 60,000 × 784 pixel values 0..255, row-major
 * @param trainLabels 60,000 labels 0..9
 * @param testImages 10,000 × 784 pixel values
 * @param testLabels 10,000 labels
 */
public record FashionMnist(byte[] trainImages, int[] trainLabels, byte[] testImages, int[] testLabels) {

    /** Where Debian's {@code dataset-fashion-mnist} puts the files. */
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
    /** Image side. */
    public static final int SIDE = 28;
    /** Number of classes. */
    public static final int CLASSES = 10;
    /** Mean of the training pixels scaled to [0, 1]. */
    public static final float MEAN = 0.2860f;
    /** Standard deviation of the training pixels scaled to [0, 1]. */
    public static final float STD = 0.3530f;

    /** Reads the Debian copy in {@value #DEBIAN_DIR}. */
    public static FashionMnist load() throws IOException {
        return load(Paths.get(DEBIAN_DIR));
    }

    /**
     * Reads the four IDX files from {@code dir}.
     *
     * @throws IOException naming the missing file and how to install it, or what is wrong with a file
     */
    public static FashionMnist load(Path dir) throws IOException {
        return new FashionMnist(images(dir, "train-images-idx3-ubyte", 60_000), labels(dir, "train-labels-idx1-ubyte",
                60_000), images(dir, "t10k-images-idx3-ubyte", 10_000), labels(dir, "t10k-labels-idx1-ubyte", 10_000));
    }

    /** The number of training images. */
    public int trainSize() {
        return trainLabels.length;
    }

    /** The number of test images. */
    public int testSize() {
        return testLabels.length;
    }

    private static InputStream open(Path dir, String name) throws IOException {
        Path gz = dir.resolve(name + ".gz");
        Path raw = dir.resolve(name);
        if (Files.isRegularFile(gz)) {
            return new GZIPInputStream(Files.newInputStream(gz), 1 << 16);
        }
        if (Files.isRegularFile(raw)) {
            return Files.newInputStream(raw);
        }
        throw new IOException("Fashion-MNIST file " + gz + " (or " + raw + ") not found. Install Debian's copy with "
                + "`apt-get install -y dataset-fashion-mnist` (files in " + DEBIAN_DIR + "), or pass the directory "
                + "that holds the four IDX files");
    }

    private static byte[] images(Path dir, String name, int count) throws IOException {
        try (DataInputStream in = new DataInputStream(open(dir, name))) {
            int magic = in.readInt();
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (magic != 0x803 || n != count || rows != SIDE || cols != SIDE) {
                throw new IOException(String.format("%s in %s: expected IDX images (magic 0x803) of %d × %d × %d; got "
                        + "magic 0x%x, %d × %d × %d", name, dir, count, SIDE, SIDE, magic, n, rows, cols));
            }
            byte[] out = new byte[n * SIDE * SIDE];
            in.readFully(out);
            return out;
        }
    }

    private static int[] labels(Path dir, String name, int count) throws IOException {
        try (DataInputStream in = new DataInputStream(open(dir, name))) {
            int magic = in.readInt();
            int n = in.readInt();
            if (magic != 0x801 || n != count) {
                throw new IOException(String.format("%s in %s: expected IDX labels (magic 0x801) of %d; got magic "
                        + "0x%x, %d", name, dir, count, magic, n));
            }
            byte[] raw = new byte[n];
            in.readFully(raw);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = raw[i];
                if (out[i] < 0 || out[i] >= CLASSES) {
                    throw new IOException(name + " in " + dir + ": label " + out[i] + " at " + i + " is not in 0..9");
                }
            }
            return out;
        }
    }
}
