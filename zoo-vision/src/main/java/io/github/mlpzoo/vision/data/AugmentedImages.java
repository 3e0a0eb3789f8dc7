package io.github.mlpzoo.vision.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;

import java.util.Random;

/**
 * A slice of Fashion-MNIST as a dataset of normalized {@code (1, 28, 28)} images with their label, optionally
 * augmented on the fly as the usual small-image recipe does: a random crop of 28×28 out of the image zero-padded
 * by {@code pad} pixels (torchvision {@code RandomCrop(28, padding=pad)}; the padding is 0 in pixel space, i.e.
 * {@code -MEAN/STD} after normalization), then a horizontal flip with probability 1/2.
 */
final class AugmentedImages extends RandomAccessDataset {

    private static final int SIDE = FashionMnist.SIDE;

    private final byte[] pixels;
    private final int[] labels;
    private final int from;
    private final int size;
    private final int pad;
    private final Random random;

    private AugmentedImages(Builder b) {
        super(b);
        pixels = b.pixels;
        labels = b.labels;
        from = b.from;
        size = b.size;
        pad = b.pad;
        random = new Random(b.seed);
    }

    /** Images {@code from .. from + size - 1}, augmented if {@code pad > 0} (random flips too) from {@code seed}. */
    static AugmentedImages of(byte[] pixels, int[] labels, int from, int size, int pad, long seed) {
        Builder b = new Builder();
        b.pixels = pixels;
        b.labels = labels;
        b.from = from;
        b.size = size;
        b.pad = pad;
        b.seed = seed;
        b.setSampling(1, false);
        return new AugmentedImages(b);
    }

    /** Image {@code index} of {@code pixels}, normalized, as a row-major float array of 784. */
    static float[] normalized(byte[] pixels, int index) {
        float[] out = new float[SIDE * SIDE];
        int base = index * SIDE * SIDE;
        for (int i = 0; i < out.length; i++) {
            out[i] = ((pixels[base + i] & 0xff) / 255f - FashionMnist.MEAN) / FashionMnist.STD;
        }
        return out;
    }

    @Override
    public Record get(NDManager manager, long index) {
        int i = from + Math.toIntExact(index);
        float[] img = normalized(pixels, i);
        if (pad > 0) {
            img = augment(img);
        }
        NDList data = new NDList(manager.create(img, new Shape(1, SIDE, SIDE)));
        NDList label = new NDList(manager.create((float) labels[i]));
        return new Record(data, label);
    }

    private synchronized float[] augment(float[] img) {
        int dy = random.nextInt(2 * pad + 1) - pad;
        int dx = random.nextInt(2 * pad + 1) - pad;
        boolean flip = random.nextBoolean();
        float fill = -FashionMnist.MEAN / FashionMnist.STD;
        float[] out = new float[img.length];
        for (int y = 0; y < SIDE; y++) {
            int sy = y + dy;
            for (int x = 0; x < SIDE; x++) {
                int sx = (flip ? SIDE - 1 - x : x) + dx;
                out[y * SIDE + x] = sy >= 0 && sy < SIDE && sx >= 0 && sx < SIDE ? img[sy * SIDE + sx] : fill;
            }
        }
        return out;
    }

    @Override
    protected long availableSize() {
        return size;
    }

    @Override
    public void prepare(Progress progress) {}

    static final class Builder extends RandomAccessDataset.BaseBuilder<Builder> {
        private byte[] pixels;
        private int[] labels;
        private int from;
        private int size;
        private int pad;
        private long seed;

        @Override
        protected Builder self() {
            return this;
        }
    }
}
